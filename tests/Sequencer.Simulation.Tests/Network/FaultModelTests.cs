using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Ports;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Tests.Fakes;

namespace Sequencer.Simulation.Tests.Network;

public sealed class FaultModelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [Fact]
    public void APartitionCutsLinksBetweenGroupsUntilItHeals()
    {
        var faults = new NetworkFaultModel { Default = new LinkFaults { Latency = DelayDistribution.Constant(TimeSpan.FromMilliseconds(10)) } };
        faults.AddPartition(new Partition(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), [new HashSet<int> { 0, 1 }]));
        var cluster = new FakeCluster(3, faults);
        foreach (var at in new[] { 0.5, 2.0, 6.0 })
        {
            cluster.At(TimeSpan.FromSeconds(at), 0, () =>
            {
                cluster.Endpoints[0].SendRequest(1, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId((long)(at * 10)), Timeout);
                cluster.Endpoints[0].SendRequest(2, SequencerProtocol.Vote, new byte[] { 2 }, new RequestId((long)(at * 10) + 1), Timeout);
            });
        }

        cluster.RunFor(TimeSpan.FromSeconds(10));

        // Same side of the cut: always answered. Across it: unreachable during the partition, answered after it heals.
        var outcomes = cluster.Nodes[0].Log.OrderBy(r => r.Id).Select(r => (r.Id, r.Kind)).ToArray();
        Assert.Equal(
            [(5L, "response"), (6L, "response"), (20L, "response"), (21L, "failed:Unreachable"), (60L, "response"), (61L, "response")],
            outcomes);
    }

    [Fact]
    public void AMessageInFlightWhenThePartitionStartsIsLost()
    {
        var faults = new NetworkFaultModel { Default = new LinkFaults { Latency = DelayDistribution.Constant(TimeSpan.FromMilliseconds(100)) } };
        faults.AddPartition(new Partition(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5), [new HashSet<int> { 0 }]));
        var cluster = new FakeCluster(2, faults);
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].SendRequest(1, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(1), Timeout));

        cluster.RunFor(TimeSpan.FromSeconds(10));

        Assert.Empty(cluster.Nodes[1].Log);
        Assert.Equal("failed:TimedOut", Assert.Single(cluster.Nodes[0].Log).Kind);
        Assert.Equal(1, cluster.Network.Statistics.CutByPartition);
    }

    [Fact]
    public void ALinkOverrideAppliesToThatDirectionOnly()
    {
        var faults = new NetworkFaultModel();
        faults.SetLink(0, 1, new LinkFaults { DropProbability = 1 });
        var cluster = new FakeCluster(2, faults);
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].Subscribe("t", FixedVerdict.AcceptAll));
        cluster.At(TimeSpan.Zero, 1, () => cluster.Endpoints[1].Subscribe("t", FixedVerdict.AcceptAll));
        cluster.At(TimeSpan.FromSeconds(1), 0, () => cluster.Endpoints[0].Publish("t", new byte[] { 1 }));
        cluster.At(TimeSpan.FromSeconds(1), 1, () => cluster.Endpoints[1].Publish("t", new byte[] { 2 }));

        cluster.RunFor(TimeSpan.FromSeconds(5));

        Assert.Empty(cluster.Nodes[1].Log);
        Assert.Equal(new byte[] { 2 }, cluster.Nodes[0].Log.Single().Payload);
    }

    [Property(MaxTest = 50)]
    public Property ReorderingChangesTheOrderButNeverTheSetOfMessages() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var faults = new NetworkFaultModel
            {
                Default = new LinkFaults
                {
                    Latency = DelayDistribution.Constant(TimeSpan.FromMilliseconds(5)),
                    ReorderProbability = 0.5,
                    ReorderDelay = TimeSpan.FromMilliseconds(100),
                },
            };
            var cluster = new FakeCluster(2, faults, seed);
            cluster.At(TimeSpan.Zero, 1, () => cluster.Endpoints[1].Subscribe("t", FixedVerdict.AcceptAll));
            for (var i = 0; i < 20; i++)
            {
                var value = (byte)i;
                cluster.At(TimeSpan.FromMilliseconds(1 + i), 0, () => cluster.Endpoints[0].Publish("t", new[] { value }));
            }
            cluster.RunFor(TimeSpan.FromSeconds(5));
            var received = cluster.Nodes[1].Log.Select(r => (int)r.Payload[0]).ToArray();
            return received.Order().SequenceEqual(Enumerable.Range(0, 20))
                .Label("every message arrives exactly once")
                .And((cluster.Network.Statistics.Reordered == 0) == received.SequenceEqual(Enumerable.Range(0, 20)))
                .Label("out of order exactly when some message was held back");
        });

    [Property(MaxTest = 50)]
    public Property DropAndDuplicateRatesFollowTheirProbabilities() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var faults = new NetworkFaultModel { Default = new LinkFaults { DropProbability = 0.3, DuplicateProbability = 0.2 } };
            var cluster = new FakeCluster(2, faults, seed);
            cluster.At(TimeSpan.Zero, 1, () => cluster.Endpoints[1].Subscribe("t", FixedVerdict.AcceptAll));
            cluster.At(TimeSpan.FromMilliseconds(1), 0, () =>
            {
                for (var i = 0; i < 1000; i++)
                    cluster.Endpoints[0].Publish("t", new byte[] { 1 });
            });
            cluster.RunFor(TimeSpan.FromSeconds(5));
            var stats = cluster.Network.Statistics;
            // Binomial(1000, 0.3) and (700, 0.2): 6 standard deviations either side.
            return (stats.Dropped is > 213 and < 387)
                && (stats.Duplicated is > 76 and < 204)
                && cluster.Nodes[1].Log.Count == 1000 - stats.Dropped + stats.Duplicated;
        });

    [Fact]
    public void TwinsEachSenderAlwaysReachesTheSameTwinAndTopicsReachBoth()
    {
        var cluster = new FakeCluster(3);
        // Host 3 is a twin of validator 2.
        var twinScope = new Sequencer.Simulation.Scheduling.ProcessScope(cluster.Scheduler, 3, 0, "twin");
        var twinEndpoint = cluster.Network.Connect(twinScope, 2);
        var twin = new RecordingNode(twinScope, twinEndpoint);
        twinEndpoint.Events = twin;
        cluster.At(TimeSpan.Zero, 2, () => cluster.Endpoints[2].Subscribe("t", FixedVerdict.AcceptAll));
        cluster.Scheduler.Schedule(TimeSpan.Zero, twinScope, Sequencer.Simulation.Scheduling.TraceKind.Script, 0,
            () => twinEndpoint.Subscribe("t", FixedVerdict.AcceptAll));
        for (var i = 0; i < 3; i++)
        {
            var id = i;
            cluster.At(TimeSpan.FromSeconds(1 + i), 0, () => cluster.Endpoints[0].SendRequest(2, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(id), Timeout));
            cluster.At(TimeSpan.FromSeconds(1 + i), 1, () => cluster.Endpoints[1].SendRequest(2, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(id), Timeout));
        }
        cluster.At(TimeSpan.FromSeconds(5), 0, () => cluster.Endpoints[0].Publish("t", new byte[] { 1 }));

        cluster.RunFor(TimeSpan.FromSeconds(10));

        var atOriginal = cluster.Nodes[2].OfKind("request").Select(r => r.Peer).Distinct().ToArray();
        var atTwin = twin.OfKind("request").Select(r => r.Peer).Distinct().ToArray();
        Assert.Single(atOriginal);
        Assert.Single(atTwin);
        Assert.NotEqual(atOriginal[0], atTwin[0]);
        Assert.Single(cluster.Nodes[2].OfKind("topic"));
        Assert.Single(twin.OfKind("topic"));
    }
}
