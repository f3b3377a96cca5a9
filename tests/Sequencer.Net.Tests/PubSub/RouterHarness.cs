using Microsoft.Extensions.Time.Testing;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>One router on a fake clock, surrounded by <see cref="RawPeer"/>s the test drives by hand.</summary>
internal sealed class RouterHarness : IDisposable
{
    public RouterHarness(GossipSubOptions? options = null, int seed = 1)
    {
        Random = new Random(seed);
        Identity = new FakeIdentity(Random);
        Options = options ?? new GossipSubOptions();
        var signed = Options.SignaturePolicy == SignaturePolicy.StrictSign;
        Router = new GossipSubRouter(
            Options, Identity.PeerIdBytes, Time, new Random(seed), signed ? Identity : null, signed ? FakeIdentity.Verifier : null);
        Router.Start();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public Random Random { get; }
    public FakeIdentity Identity { get; }
    public GossipSubOptions Options { get; }
    public GossipSubRouter Router { get; }
    public List<PubSubMessage> Delivered { get; } = [];

    public void Subscribe(string topic) => Router.Subscribe(topic, Delivered.Add);

    public RawPeer AddPeer(PubSubProtocol protocol = PubSubProtocol.MeshSub11, bool outbound = false) =>
        new(Router, new FakeIdentity(Random), protocol, outbound);

    /// <summary>A peer subscribed to <paramref name="topic"/> and grafted into the router's mesh for it.</summary>
    public RawPeer AddMeshPeer(string topic, PubSubProtocol protocol = PubSubProtocol.MeshSub11, bool outbound = false)
    {
        var peer = AddPeer(protocol, outbound);
        peer.Subscribe(topic);
        peer.Graft(topic);
        if (!IsInMesh(topic, peer))
            throw new InvalidOperationException("the router did not take the peer into its mesh");
        return peer;
    }

    public bool IsInMesh(string topic, RawPeer peer) =>
        Router.GetMeshPeers(topic).Any(id => id.Span.SequenceEqual(peer.Identity.PeerIdBytes));

    public double Score(RawPeer peer) => Router.GetPeerScore(peer.Identity.PeerIdBytes) ?? double.NaN;

    /// <summary>Lets <paramref name="count"/> heartbeats happen (the first comes 100 ms after start).</summary>
    public void Heartbeats(int count)
    {
        for (var i = 0; i < count; i++)
            Time.Advance(Options.HeartbeatInterval);
    }

    public void Dispose() => Router.Dispose();
}
