using Sequencer.Core.Ports;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Scheduling;
using Sequencer.Simulation.Tests.Fakes;

namespace Sequencer.Simulation.Tests.Network;

public sealed class RequestResponseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly LinkFaults FixedLatency = new() { Latency = DelayDistribution.Constant(TimeSpan.FromMilliseconds(10)) };

    [Fact]
    public void ARequestIsAnsweredWithTheAuthenticatedIdentitiesOfBothEnds()
    {
        var cluster = new FakeCluster(3, new NetworkFaultModel { Default = FixedLatency });
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].SendRequest(2, SequencerProtocol.Vote, new byte[] { 1, 2, 3 }, new RequestId(42), Timeout));

        cluster.RunFor(TimeSpan.FromSeconds(10));

        var request = cluster.Nodes[2].OfKind("request").Single();
        Assert.Equal((0, TimeSpan.FromMilliseconds(10)), (request.Peer, request.Time));
        Assert.Equal(new byte[] { 1, 2, 3 }, request.Payload);
        Assert.Same(cluster.Scopes[2], request.RanIn);
        var response = cluster.Nodes[0].OfKind("response").Single();
        Assert.Equal((2, 42L, TimeSpan.FromMilliseconds(20)), (response.Peer, response.Id, response.Time));
        Assert.Same(cluster.Scopes[0], response.RanIn);
        Assert.Single(cluster.Nodes[0].Log);
    }

    [Fact]
    public void AnUnansweredRequestTimesOutAtItsTimeoutAndALateAnswerIsIgnored()
    {
        var cluster = new FakeCluster(2, new NetworkFaultModel { Default = FixedLatency });
        cluster.Nodes[1].EchoRequests = false;
        InboundRequestId? held = null;
        cluster.Endpoints[1].Events = new AnswerLater(cluster.Nodes[1], id => held = id);
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].SendRequest(1, SequencerProtocol.Sync, new byte[] { 9 }, new RequestId(7), Timeout));
        cluster.At(TimeSpan.FromSeconds(3), 1, () => cluster.Endpoints[1].SendResponse(held!.Value, new byte[] { 9 }));

        cluster.RunFor(TimeSpan.FromSeconds(10));

        var outcome = Assert.Single(cluster.Nodes[0].Log);
        Assert.Equal(("failed:TimedOut", 7L, Timeout), (outcome.Kind, outcome.Id, outcome.Time));
    }

    [Fact]
    public void ARequestToNobodyOrToACrashedHostIsUnreachable()
    {
        var cluster = new FakeCluster(2, new NetworkFaultModel { Default = FixedLatency });
        cluster.At(TimeSpan.Zero, 1, cluster.Scopes[1].Terminate);
        cluster.At(TimeSpan.FromSeconds(1), 0, () =>
        {
            cluster.Endpoints[0].SendRequest(1, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(1), Timeout);
            cluster.Endpoints[0].SendRequest(99, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(2), Timeout);
        });

        cluster.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal(["failed:Unreachable", "failed:Unreachable"], cluster.Nodes[0].Log.Select(r => r.Kind));
        Assert.Equal([1L, 2L], cluster.Nodes[0].Log.Select(r => r.Id));
        Assert.All(cluster.Nodes[0].Log, r => Assert.Equal(TimeSpan.FromMilliseconds(1010), r.Time));
    }

    [Fact]
    public void ARequestInFlightToAHostThatCrashesTimesOut()
    {
        var cluster = new FakeCluster(2, new NetworkFaultModel { Default = FixedLatency });
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].SendRequest(1, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(1), Timeout));
        cluster.At(TimeSpan.FromMilliseconds(5), 1, () => cluster.Network.Disconnect(cluster.Endpoints[1]));

        cluster.RunFor(TimeSpan.FromSeconds(10));

        Assert.Empty(cluster.Nodes[1].Log);
        Assert.Equal("failed:TimedOut", Assert.Single(cluster.Nodes[0].Log).Kind);
    }

    [Fact]
    public void AnsweringTwiceIsAnEngineBugThatFailsTheRun()
    {
        var cluster = new FakeCluster(2);
        cluster.Nodes[1].AnswerTwice = true;
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].SendRequest(1, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(1), Timeout));

        var failure = Assert.Throws<SimulationFailureException>(() => cluster.RunFor(TimeSpan.FromSeconds(10)));
        Assert.Contains("not an unanswered request of its own", failure.Message);
    }

    [Fact]
    public void ARequestToItselfGoesThroughLoopbackUntouchedByFaults()
    {
        var cluster = new FakeCluster(1, new NetworkFaultModel { Default = new LinkFaults { DropProbability = 1 } });
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].SendRequest(0, SequencerProtocol.Vote, new byte[] { 5 }, new RequestId(3), Timeout));

        cluster.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal(["request", "response"], cluster.Nodes[0].Log.Select(r => r.Kind));
    }

    [Fact]
    public void ADroppedRequestTimesOutAndADuplicatedOneIsServedTwiceButAnsweredOnce()
    {
        var dropping = new FakeCluster(2, new NetworkFaultModel { Default = FixedLatency with { DropProbability = 1 } });
        dropping.At(TimeSpan.Zero, 0, () => dropping.Endpoints[0].SendRequest(1, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(1), Timeout));
        dropping.RunFor(TimeSpan.FromSeconds(10));
        Assert.Empty(dropping.Nodes[1].Log);
        Assert.Equal("failed:TimedOut", Assert.Single(dropping.Nodes[0].Log).Kind);
        Assert.Equal(1, dropping.Network.Statistics.Dropped);

        var duplicating = new FakeCluster(2, new NetworkFaultModel { Default = FixedLatency with { DuplicateProbability = 1 } });
        duplicating.At(TimeSpan.Zero, 0, () => duplicating.Endpoints[0].SendRequest(1, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(1), Timeout));
        duplicating.RunFor(TimeSpan.FromSeconds(10));
        Assert.Equal(2, duplicating.Nodes[1].OfKind("request").Count());
        Assert.Equal("response", Assert.Single(duplicating.Nodes[0].Log).Kind);
    }

    [Fact]
    public void ATapSeesEverySendIncludingWhatTheNetworkDrops()
    {
        var cluster = new FakeCluster(2, new NetworkFaultModel { Default = FixedLatency with { DropProbability = 1 } });
        var tap = new RecordingTap();
        cluster.Network.AddTap(tap);
        cluster.At(TimeSpan.Zero, 0, () => cluster.Endpoints[0].SendRequest(1, SequencerProtocol.Invitation, new byte[] { 4, 4 }, new RequestId(1), Timeout));

        cluster.RunFor(TimeSpan.FromSeconds(10));

        var seen = Assert.Single(tap.Envelopes);
        Assert.Equal((WireEnvelopeKind.Request, 0, 0, 1, SequencerProtocol.Invitation), (seen.Kind, seen.FromHost, seen.FromValidator, seen.ToHost, seen.Protocol));
        Assert.Equal(new byte[] { 4, 4 }, seen.Payload.ToArray());
    }

    [Fact]
    public void APayloadIsCopiedAtTheSendSoTheCallerMayReuseItsBuffer()
    {
        var cluster = new FakeCluster(2);
        var buffer = new byte[] { 1, 2 };
        cluster.At(TimeSpan.Zero, 0, () =>
        {
            cluster.Endpoints[0].SendRequest(1, SequencerProtocol.Vote, buffer, new RequestId(1), Timeout);
            buffer[0] = 0xFF;
        });

        cluster.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal(new byte[] { 1, 2 }, cluster.Nodes[1].OfKind("request").Single().Payload);
    }

    /// <summary>Holds requests instead of answering them, so a test can answer late.</summary>
    private sealed class AnswerLater(RecordingNode inner, Action<InboundRequestId> hold) : INetworkEvents
    {
        public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload) => hold(request);

        public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload) => inner.OnResponse(id, fromValidator, payload);

        public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason) => inner.OnRequestFailed(id, toValidator, reason);

        public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload) => inner.OnTopicMessage(topic, fromValidator, payload);
    }
}
