using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Tests.Consensus.Harness;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus;

public sealed class RouterTests
{
    private static readonly ConsensusOptions s_options = TestCluster.SmallCommittee;

    [Property(MaxTest = 300)]
    public Property GarbageOnEveryEntryPointIsDroppedAndCountedNeverThrown() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Gen.Choose(1, 3).ToArbitrary(), Gen.Choose(-1, 20).ToArbitrary(),
            (payload, protocol, from) =>
            {
                using var cluster = new TestCluster(4, TestCluster.SmallCommittee);
                var node = cluster.Nodes[1];
                var drops = cluster.Observers[1].Drops;

                node.OnRequest(new InboundRequestId(1), from, (SequencerProtocol)protocol, payload);
                node.OnTopicMessage(s_options.PubSub_AnnounceChannel, from, payload);
                node.OnTopicMessage("pubsub-consensus/7/1/00", from, payload);
                node.OnResponse(new RequestId(99), from, payload);
                node.OnRequestFailed(new RequestId(98), from, RequestFailure.TimedOut);
                cluster.Scheduler.RunFor(TimeSpan.FromSeconds(1));

                return drops.Count == 5 && node.Metadata.LiveRoundCount == 0;
            });

    [Fact]
    public void WellFormedMessagesOnTheWrongProtocolOrTopicAreRefused()
    {
        var captured = CaptureHealthyRound();
        using var cluster = new TestCluster(16, s_options);
        var node = cluster.Nodes[5];

        node.OnRequest(new InboundRequestId(1), 0, SequencerProtocol.Invitation, captured.Proposal);
        node.OnRequest(new InboundRequestId(2), 0, SequencerProtocol.Vote, captured.Certificate);
        node.OnTopicMessage(s_options.PubSub_AnnounceChannel, 3, captured.Attestation);

        Assert.Equal(3, cluster.Observers[5].Drops.Count(d => d.Reason == DropReason.UnexpectedMessage));
        Assert.Equal(0, node.Metadata.LiveRoundCount);
    }

    [Fact]
    public void ProposalIsTakenOnlyFromItsSequencerAndOnlyIntact()
    {
        var captured = CaptureHealthyRound();
        using var cluster = new TestCluster(16, s_options);
        var node = cluster.Nodes[5];
        var drops = cluster.Observers[5].Drops;

        // Not from the sequencer it names.
        node.OnTopicMessage(s_options.PubSub_AnnounceChannel, 4, captured.Proposal);
        Assert.Equal(DropReason.SenderMismatch, Assert.Single(drops).Reason);

        // Every single-bit change is refused: the header, the round, the committee proof and the summary are all signed.
        for (var bit = 0; bit < captured.Proposal.Length * 8; bit += 7)
        {
            var flipped = (byte[])captured.Proposal.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            node.OnTopicMessage(s_options.PubSub_AnnounceChannel, 0, flipped);
            Assert.Equal(0, node.Metadata.LiveRoundCount);
        }
        Assert.DoesNotContain(drops, d => d.Reason == DropReason.Duplicate);

        // The intact proposal from its sequencer starts this node's vote.
        node.OnTopicMessage(s_options.PubSub_AnnounceChannel, 0, captured.Proposal);
        Assert.Equal(1, node.Metadata.LiveRoundCount);
        Assert.Single(cluster.Observers[5].VotesSent);
    }

    [Fact]
    public void CertificateIsLoggedOnlyIntactAndOnlyOnce()
    {
        var captured = CaptureHealthyRound();
        using var cluster = new TestCluster(16, s_options);
        var node = cluster.Nodes[9];

        for (var bit = 0; bit < captured.Certificate.Length * 8; bit += 5)
        {
            var flipped = (byte[])captured.Certificate.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            node.OnTopicMessage(s_options.PubSub_AnnounceChannel, 2, flipped);
        }
        Assert.Empty(cluster.Logs[9].ReadAll());

        node.OnTopicMessage(s_options.PubSub_AnnounceChannel, 2, captured.Certificate);
        node.OnTopicMessage(s_options.PubSub_AnnounceChannel, 3, captured.Certificate);

        Assert.Single(cluster.Logs[9].ReadAll());
        Assert.Equal(DropReason.Duplicate, cluster.Observers[9].Drops[^1].Reason);
    }

    [Fact]
    public void VoteForAFinishedRoundIsAnsweredRoundClosedAndOneForAnUnknownRoundUnknownRound()
    {
        using var cluster = new TestCluster(16, s_options);
        var block = TestCluster.Block(21);
        cluster.Run(0, block);
        cluster.Scheduler.RunFor(TimeSpan.FromSeconds(1));
        var member = cluster.SeatsFor(0, block).Candidates[0];
        var voter = 11;
        var late = new Vote { Round = TestCluster.IdOf(block), DirectoryHash = cluster.Directory.Hash, Decision = Decision.Accept };
        var unknown = late with { };
        unknown.Round = TestCluster.IdOf(TestCluster.Block(22));

        var answers = new List<VoteAck>();
        var probe = new AckProbe(answers);
        cluster.Network.Attach(voter, probe);
        foreach (var vote in new[] { late, unknown })
        {
            var signed = vote;
            signed.VoterIndex = (uint)voter;
            var bytes = new System.Buffers.ArrayBufferWriter<byte>();
            signed.Encode(bytes);
            cluster.Network.EndpointOf(voter).SendRequest(member, SequencerProtocol.Vote, bytes.WrittenMemory, new RequestId(1), TimeSpan.FromSeconds(1));
            cluster.Scheduler.RunFor(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal([VoteAckStatus.RoundClosed, VoteAckStatus.UnknownRound], answers.Select(a => a.Status));
    }

    /// <summary>A healthy round's proposal, one attestation and the certificate, as they travelled.</summary>
    internal static (byte[] Proposal, byte[] Attestation, byte[] Certificate) CaptureHealthyRound()
    {
        using var cluster = new TestCluster(16, s_options);
        cluster.Run(0, TestCluster.Block(20));
        var announced = cluster.Network.Published.Where(p => p.Topic == s_options.PubSub_AnnounceChannel).ToArray();
        return (
            announced.First(p => p.Payload[1] == (byte)WireMessageType.Proposal).Payload,
            cluster.Network.Published.First(p => p.Payload[1] == (byte)WireMessageType.Attestation).Payload,
            announced.First(p => p.Payload[1] == (byte)WireMessageType.Certificate).Payload);
    }

    /// <summary>Stands in for a voter's node: decodes the acknowledgements it receives.</summary>
    private sealed class AckProbe(List<VoteAck> answers) : INetworkEvents
    {
        public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload)
        {
        }

        public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload)
        {
            Assert.True(VoteAck.TryDecode(new System.Buffers.ReadOnlySequence<byte>(payload.ToArray()), out var ack).IsOk);
            answers.Add(ack);
        }

        public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason) => Assert.Fail($"no answer: {reason}");

        public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload)
        {
        }
    }
}
