using Sequencer.Core.Ports;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Tests.Fakes;

namespace Sequencer.Simulation.Tests.Network;

public sealed class TopicTests
{
    [Fact]
    public void APublishReachesEverySubscriberButThePublisherWithThePublishersIdentity()
    {
        var cluster = new FakeCluster(4);
        var validator = new FixedVerdict(TopicVerdict.Accept);
        for (var i = 0; i < 3; i++)
        {
            var node = i;
            cluster.At(TimeSpan.Zero, node, () => cluster.Endpoints[node].Subscribe("t", validator));
        }
        cluster.At(TimeSpan.FromSeconds(1), 1, () => cluster.Endpoints[1].Publish("t", new byte[] { 7 }));

        cluster.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal([1, 1], validator.Senders);
        foreach (var receiver in new[] { 0, 2 })
        {
            var message = cluster.Nodes[receiver].Log.Single();
            Assert.Equal(("topic", "t", 1), (message.Kind, message.Topic, message.Peer));
            Assert.Equal(new byte[] { 7 }, message.Payload);
            Assert.Same(cluster.Scopes[receiver], message.RanIn);
        }
        Assert.Empty(cluster.Nodes[1].Log);
        Assert.Empty(cluster.Nodes[3].Log);
    }

    [Theory]
    [InlineData(TopicVerdict.Reject)]
    [InlineData(TopicVerdict.Ignore)]
    public void AMessageTheValidatorRefusesIsNotDelivered(TopicVerdict verdict)
    {
        var cluster = new FakeCluster(2);
        var validator = new FixedVerdict(verdict);
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].Subscribe("t", validator));
        cluster.At(TimeSpan.FromSeconds(1), 1, () => cluster.Endpoints[1].Publish("t", new byte[] { 1 }));

        cluster.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal([1], validator.Senders);
        Assert.Empty(cluster.Nodes[0].Log);
    }

    [Fact]
    public void AnUnsubscribedOrLateSubscriberGetsNothingOfThatTopic()
    {
        var cluster = new FakeCluster(3);
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].Subscribe("t", FixedVerdict.AcceptAll));
        cluster.At(TimeSpan.FromSeconds(1), 0, () => cluster.Endpoints[0].Unsubscribe("t"));
        cluster.At(TimeSpan.FromSeconds(3), 1, () => cluster.Endpoints[1].Publish("t", new byte[] { 1 }));
        cluster.At(TimeSpan.FromSeconds(4), 2, () => cluster.Endpoints[2].Subscribe("t", FixedVerdict.AcceptAll));

        cluster.RunFor(TimeSpan.FromSeconds(5));

        Assert.Empty(cluster.Nodes[0].Log);
        Assert.Empty(cluster.Nodes[2].Log);
        Assert.Empty(cluster.Network.Topics.Except(["t"]));
    }

    [Fact]
    public void PublishToReachesOnlyTheChosenSubscribers()
    {
        var cluster = new FakeCluster(4);
        for (var i = 0; i < 4; i++)
        {
            var node = i;
            cluster.At(TimeSpan.Zero, node, () => cluster.Endpoints[node].Subscribe("t", FixedVerdict.AcceptAll));
        }
        cluster.At(TimeSpan.FromSeconds(1), 0, () => cluster.Endpoints[0].PublishTo("t", new byte[] { 1 }, e => e.ValidatorIndex % 2 == 1));

        cluster.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal([0, 1, 0, 1], cluster.Nodes.Select(n => n.Log.Count));
    }

    [Fact]
    public void ADisconnectedHostLosesItsSubscriptions()
    {
        var cluster = new FakeCluster(2);
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].Subscribe("t", FixedVerdict.AcceptAll));
        cluster.At(TimeSpan.FromSeconds(1), 0, () => cluster.Network.Disconnect(cluster.Endpoints[0]));

        cluster.RunFor(TimeSpan.FromSeconds(2));

        Assert.Empty(cluster.Network.Topics);
    }
}
