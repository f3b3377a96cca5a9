using Sequencer.Core.Formats;
using Sequencer.Net.PubSub.Scoring;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub;

/// <summary>
/// A connected pubsub peer: the handle <see cref="GossipSubRouter.AddPeer"/> returns and the host passes back with
/// each RPC the peer sends. Its state belongs to the router and is guarded by the router's lock, except the
/// decoder, receive buffer and receive batch, which only the peer's own (sequential) receive path touches.
/// </summary>
public sealed class PubSubPeer
{
    private string? _display;

    internal PubSubPeer(byte[] id, PubSubProtocol protocol, bool outbound, bool direct, IPubSubPeerLink link, PeerScoreState score)
    {
        Id = id;
        Protocol = protocol;
        IsOutbound = outbound;
        IsDirect = direct;
        Link = link;
        Score = score;
    }

    /// <summary>The peer id (multihash bytes).</summary>
    public ReadOnlyMemory<byte> PeerId => Id;

    public PubSubProtocol Protocol { get; }

    /// <summary>We dialled the connection (counts towards the mesh's outbound quota, Dout).</summary>
    public bool IsOutbound { get; }

    /// <summary>An explicit peering agreement (<see cref="GossipSubOptions.DirectPeers"/>).</summary>
    public bool IsDirect { get; }

    /// <summary>False once the peer was removed (disconnected, or closed for a protocol violation).</summary>
    public bool IsConnected { get; internal set; } = true;

    /// <summary>The peer id in base58btc, as libp2p prints it.</summary>
    public override string ToString() => _display ??= Base58.Encode(Id);

    internal byte[] Id { get; }

    internal IPubSubPeerLink Link { get; }

    internal PeerScoreState Score { get; }

    /// <summary>The score as computed at the start of the current heartbeat.</summary>
    internal double HeartbeatScore;

    internal HashSet<TopicState> Topics { get; } = [];

    internal RpcDecoder Decoder { get; } = new();

    /// <summary>A copy of the current RPC when it arrived split across buffer segments.</summary>
    internal byte[]? ReceiveBuffer;

    /// <summary>The frames of the current read and their signature checks (StrictSign; created on first use).</summary>
    internal ReceiveBatch? ReceiveBatch;

    /// <summary>Control and IWANT answers waiting to go out in one RPC.</summary>
    internal RpcBuilder Outbox { get; } = new();

    // Gossip budgets, reset every heartbeat.
    internal int IHavesReceived;
    internal int IWantsAsked;
    internal int IDontWantsReceived;

    /// <summary>Ids the peer told us (IDONTWANT) not to send, each with the heartbeat that forgets it.</summary>
    internal Dictionary<MessageIdKey, long>? DontWant;
}
