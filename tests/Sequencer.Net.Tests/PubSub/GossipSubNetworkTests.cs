using FsCheck.Xunit;
using Sequencer.Core.Identity;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>Whole networks of routers over in-memory links on a fake clock: what the mesh and gossip achieve together.</summary>
public sealed class GossipSubNetworkTests
{
    private const string Topic = "consensus/round/42";

    private static SimulatedNetwork Network(int nodes, int degree, int seed, GossipSubOptions? options = null)
    {
        var network = new SimulatedNetwork();
        for (var i = 0; i < nodes; i++)
            network.AddNode(seed * 1000 + i, options);
        network.ConnectRandomly(degree, new Random(seed));
        foreach (var node in network.Nodes)
            node.Subscribe(Topic);
        network.Run(TimeSpan.FromSeconds(5));
        return network;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MeshesFormWithinTheirBoundsAndAreMutual(int seed)
    {
        using var network = Network(20, 8, seed);
        foreach (var node in network.Nodes)
        {
            var mesh = node.Router.GetMeshPeers(Topic);
            var options = node.Router.Options;
            Assert.InRange(mesh.Count, Math.Min(options.Dlo, node.Links.Count), options.Dhi);
            foreach (var peerId in mesh)
            {
                var peer = network.Nodes.Single(n => n.PeerId.AsSpan().SequenceEqual(peerId.Span));
                Assert.Contains(peer.Router.GetMeshPeers(Topic), id => id.Span.SequenceEqual(node.PeerId));
            }
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void EveryMessageReachesEverySubscriberExactlyOnce(int seed, bool floodPublish)
    {
        using var network = Network(20, 5, seed, new GossipSubOptions { FloodPublish = floodPublish });
        var publishers = network.Nodes.Take(5).ToList();
        foreach (var publisher in publishers)
            Assert.Equal(PublishStatus.Published, publisher.Publish(Topic, [(byte)publisher.Index]).Status);
        network.Pump();

        foreach (var node in network.Nodes)
        {
            var expected = publishers.Where(p => p != node).Select(p => (byte)p.Index).Order();
            Assert.Equal(expected, node.Received.Select(m => m.Data.Span[0]).Order());
        }
        Assert.All(network.Nodes, node => Assert.Equal(0, node.Router.Counters.Rejected));
    }

    [Property(MaxTest = 8)]
    public bool AnySeededNetworkDeliversEveryMessageOnce(int seed)
    {
        using var network = Network(12, 4, seed);
        var publisher = network.Nodes[(int)((uint)seed % 12)];
        publisher.Publish(Topic, [42]);
        network.Run(TimeSpan.FromSeconds(1));
        return network.Nodes.All(node => node.Received.Count == (node == publisher ? 0 : 1));
    }

    [Fact]
    public void NodesWithRealEd25519AndSecp256k1KeysExchangeSignedMessages()
    {
        var keys = Enumerable.Range(0, 8)
            .Select(i => PeerPrivateKey.Generate(i % 2 == 0 ? KeyType.Ed25519 : KeyType.Secp256k1)).ToList();
        try
        {
            using var network = new SimulatedNetwork();
            for (var i = 0; i < keys.Count; i++)
                network.AddNode(i, signer: new PeerKeySigner(keys[i]));
            network.ConnectRandomly(3, new Random(8));
            foreach (var node in network.Nodes)
                node.Subscribe(Topic);
            network.Run(TimeSpan.FromSeconds(2));

            network.Nodes[0].Publish(Topic, "from an Ed25519 node"u8.ToArray());
            network.Nodes[1].Publish(Topic, "from a secp256k1 node"u8.ToArray());
            network.Run(TimeSpan.FromSeconds(1));
            foreach (var node in network.Nodes.Skip(2))
                Assert.Equal(2, node.Received.Count);
            Assert.Equal(network.Nodes[1].PeerId, Assert.Single(network.Nodes[0].Received).From.ToArray());
            Assert.All(network.Nodes, node => Assert.Equal(0, node.Router.Counters.Rejected));
        }
        finally
        {
            keys.ForEach(key => key.Dispose());
        }
    }

    [Fact]
    public void MeshesHealAfterPeersLeave()
    {
        using var network = Network(20, 10, 7);
        var leaving = network.Nodes.Take(4).ToList();
        foreach (var node in leaving)
            foreach (var other in node.Links.Keys.ToList())
                network.Disconnect(node, other);
        network.Run(TimeSpan.FromSeconds(3));

        var remaining = network.Nodes.Skip(4).ToList();
        foreach (var node in remaining)
        {
            var mesh = node.Router.GetMeshPeers(Topic);
            Assert.InRange(mesh.Count, Math.Min(node.Router.Options.Dlo, node.Links.Count), node.Router.Options.Dhi);
            Assert.DoesNotContain(mesh, id => leaving.Any(l => l.PeerId.AsSpan().SequenceEqual(id.Span)));
        }
        remaining[0].Publish(Topic, [9]);
        network.Run(TimeSpan.FromSeconds(1));
        Assert.All(remaining.Skip(1), node => Assert.Single(node.Received));
    }

    [Fact]
    public void GossipRepairsWhatADroppedLinkLost()
    {
        using var network = Network(20, 8, 4, new GossipSubOptions { FloodPublish = false });
        var victim = network.Nodes[7];
        var publisher = network.Nodes[0];

        // Everything sent to the victim while the message spreads through the mesh is lost.
        network.Drop = (link, _) => link.To == victim;
        publisher.Publish(Topic, "block 42"u8.ToArray());
        network.Pump();
        network.Drop = null;
        Assert.Empty(victim.Received);
        Assert.All(network.Nodes.Where(n => n != victim && n != publisher), n => Assert.Single(n.Received));

        // Peers outside the victim's mesh advertise the message at their next heartbeat; the victim asks for it.
        network.Run(TimeSpan.FromSeconds(2));
        var received = Assert.Single(victim.Received);
        Assert.Equal("block 42"u8.ToArray(), received.Data.ToArray());
        Assert.NotNull(victim.Router.GetPeerScore(received.ReceivedFrom.Span));
        Assert.DoesNotContain(victim.Router.GetMeshPeers(Topic), id => id.Span.SequenceEqual(received.ReceivedFrom.Span));
    }

    [Fact]
    public void AValidatorRejectAtOneNodeStopsTheMessageThereAndPenalisesItsSender()
    {
        // A line: the only way from the author to the end is through the judge.
        using var network = new SimulatedNetwork();
        var author = network.AddNode(1);
        var judge = network.AddNode(2);
        var end = network.AddNode(3);
        network.Connect(author, judge);
        network.Connect(judge, end);
        foreach (var node in network.Nodes)
            node.Subscribe(Topic);
        judge.Router.SetTopicValidator(Topic, message =>
            ValueTask.FromResult(message.Data.Span.SequenceEqual("bad"u8) ? ValidationResult.Reject : ValidationResult.Accept));
        network.Run(TimeSpan.FromSeconds(2));

        author.Publish(Topic, "bad"u8.ToArray());
        author.Publish(Topic, "good"u8.ToArray());
        network.Run(TimeSpan.FromSeconds(2));

        Assert.Equal(["good"], end.Received.Select(m => System.Text.Encoding.UTF8.GetString(m.Data.Span)));
        Assert.Equal(["good"], judge.Received.Select(m => System.Text.Encoding.UTF8.GetString(m.Data.Span)));
        Assert.True(judge.Router.GetPeerScore(author.PeerId) < 0);
        Assert.True(end.Router.GetPeerScore(judge.PeerId) >= 0);
        // Pruned from the judge's mesh at its heartbeat for the negative score.
        Assert.DoesNotContain(judge.Router.GetMeshPeers(Topic), id => id.Span.SequenceEqual(author.PeerId));
    }

    [Fact]
    public void APeerSendingGarbageIsDroppedWhileTheNetworkKeepsWorking()
    {
        using var network = Network(6, 5, 5);
        var target = network.Nodes[0];
        var attacker = network.Nodes[1];
        var link = attacker.Links[target];
        link.TrySend(Convert.FromHexString("03ffffff"));
        network.Pump();

        Assert.Equal(1, target.Router.Counters.ProtocolViolations);
        Assert.True(target.Links[attacker].Closed);
        Assert.Equal(RpcError.Truncated, Assert.IsType<PubSubProtocolException>(target.Links[attacker].CloseReason).Error);

        network.Nodes[2].Publish(Topic, [1]);
        network.Run(TimeSpan.FromSeconds(1));
        Assert.Single(target.Received);
    }

    [Fact]
    public void SimulationsReplayExactlyFromTheirSeeds()
    {
        (int Frames, string Meshes) Run()
        {
            using var network = Network(12, 5, 6, new GossipSubOptions { FloodPublish = false });
            network.Nodes[3].Publish(Topic, [1, 2, 3]);
            network.Run(TimeSpan.FromSeconds(3));
            var meshes = string.Join("|", network.Nodes.Select(n =>
                string.Join(",", n.Router.GetMeshPeers(Topic).Select(id => Convert.ToHexString(id.Span)).Order())));
            return (network.FramesDelivered, meshes);
        }
        Assert.Equal(Run(), Run());
    }
}
