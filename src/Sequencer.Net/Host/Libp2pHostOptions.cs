using Sequencer.Net.Addressing;
using Sequencer.Net.Identify;
using Sequencer.Net.PubSub;
using Sequencer.Net.Streams;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Host;

/// <summary>
/// Settings of a <see cref="Libp2pHost"/>. Every wait the host makes has a bound here or in the layer options it
/// passes on (TCP connect, multistream-select, Noise, yamux keep-alive and close, identify, requests).
/// </summary>
public sealed record Libp2pHostOptions
{
    /// <summary>Where to listen (<c>/ip4|ip6/…/tcp/port</c>, port 0 for any); empty: dial-only.</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses { get; init; } = [];

    /// <summary>
    /// List <c>/yamux/1.0.0</c> in our Noise handshake payload, so that a peer listing it too starts yamux right after
    /// the handshake (js-libp2p's default). Off: yamux is always negotiated with multistream-select inside the channel.
    /// </summary>
    public bool MuxerInNoise { get; init; } = true;

    /// <summary>Bound on a whole connection upgrade: <c>/noise</c> negotiation, handshake, muxer negotiation.</summary>
    public TimeSpan UpgradeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on the multistream-select negotiation of each stream, both directions.</summary>
    public TimeSpan StreamNegotiationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections open or being opened, both directions; an inbound one beyond it is reset at once.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Bound on closing one connection gracefully (GoAway, FIN) and on <see cref="Libp2pHost.DisposeAsync"/>.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="Libp2pHost.PingAsync"/> waits for the echo.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Peers whose identify answers and addresses the peer store keeps (connected ones are always kept).</summary>
    public int MaxStoredPeers { get; init; } = 4096;

    /// <summary>TCP settings (with their own clock, as the yamux and identify settings have).</summary>
    public TcpTransportOptions Transport { get; init; } = new();

    public YamuxOptions Yamux { get; init; } = YamuxOptions.Default;

    public IdentifyOptions Identify { get; init; } = IdentifyOptions.Default;

    /// <summary>GossipSub parameters; null runs the host without pubsub (no meshsub protocol registered).</summary>
    public GossipSubOptions? PubSub { get; init; } = new();

    /// <summary>Unsent pubsub bytes queued per peer before the router's frames to it are dropped (gossip repairs them).</summary>
    public int PubSubQueueLimit { get; init; } = 8 << 20;

    public RequestOptions Requests { get; init; } = RequestOptions.Default;

    /// <summary>The clock of the host's own deadlines (upgrade, Noise, stream negotiation, close, requests) and of GossipSub.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The source of GossipSub's random choices (a seeded one replays a test exactly); null: a fresh one.</summary>
    public Random? Random { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(ListenAddresses);
        ArgumentNullException.ThrowIfNull(Transport);
        ArgumentNullException.ThrowIfNull(Yamux);
        ArgumentNullException.ThrowIfNull(Identify);
        ArgumentNullException.ThrowIfNull(Requests);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        RequirePositive(UpgradeTimeout, nameof(UpgradeTimeout));
        RequirePositive(StreamNegotiationTimeout, nameof(StreamNegotiationTimeout));
        RequirePositive(CloseTimeout, nameof(CloseTimeout));
        RequirePositive(PingTimeout, nameof(PingTimeout));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConnections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxStoredPeers);
        ArgumentOutOfRangeException.ThrowIfLessThan(PubSubQueueLimit, PubSub?.MaxRpcSize ?? 1, nameof(PubSubQueueLimit));
        Requests.Validate();
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(name, value, "must be positive");
    }
}
