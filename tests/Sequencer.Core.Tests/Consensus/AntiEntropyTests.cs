using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Safety;
using Sequencer.Core.Tests.Consensus.Harness;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus;

public sealed class AntiEntropyTests
{
    [Fact]
    public void BuddiesThatLoseEveryDeltaStillConvergeThroughSummariesAndFetches()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        // No buddy hears another's deltas: each holds only the votes sent to it (about 16 / 7 of them), far from 2/3 W,
        // until summaries show what the others hold and fetches bring it over.
        cluster.Network.DeliverTopicMessage = (_, _, _, payload) => payload[1] != (byte)WireMessageType.VoteSetDelta;
        var fetches = 0;
        cluster.Network.DeliverRequest = (_, _, protocol) =>
        {
            fetches += protocol == SequencerProtocol.Sync ? 1 : 0;
            return true;
        };

        var outcome = cluster.Run(0, TestCluster.Block(50));

        Assert.IsType<RoundOutcome.Accepted>(outcome);
        Assert.True(fetches > 0);
        Assert.Contains(cluster.Network.Published, p => p.Payload[1] == (byte)WireMessageType.VoteSetSummary);
    }

    [Fact]
    public void MemberThatMissedTheProposalLearnsItFromTheResultPull()
    {
        var block = TestCluster.Block(51);
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var seats = cluster.SeatsFor(0, block);
        // Three members never see the proposal on a topic; with only four attesting, the certificate needs them.
        int[] blind = [seats.Candidates[0], seats.Candidates[1], seats.Candidates[2]];
        cluster.Network.DeliverTopicMessage = (_, _, to, payload) =>
            payload[1] != (byte)WireMessageType.Proposal || !blind.Contains(to);

        var start = cluster.Scheduler.Now;
        var outcome = cluster.Run(0, block);

        Assert.IsType<RoundOutcome.Accepted>(outcome);
        Assert.True(cluster.Scheduler.Now - start >= cluster.Options.ConsensusTimeout - cluster.Options.ResultPullLead);
        // The pull carried the proposal: each of them attested as soon as it knew the committee (its votes had long
        // arrived), and the round was decided there and then.
        Assert.All(blind, i => Assert.Single(cluster.Observers[i].Attestations));
    }

    [Fact]
    public void BuddyThatCrashesAfterAttestingNeverAttestsAnythingElse()
    {
        var block = TestCluster.Block(52);
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var member = cluster.SeatsFor(0, block).Candidates[3];
        // Its first durable record is its vote; the second its attestation: die right after that one is durable.
        var outcome = cluster.Nodes[0].Consensus.StartAsync(block);
        cluster.Scheduler.RunUntil(() => cluster.Stores[member].SaveCount == 1, cluster.Options.ConsensusTimeout);
        cluster.Stores[member].ArmCrash(SafetyCrashPoint.AfterDurable);

        Assert.Throws<SimulatedCrashException>(() =>
            cluster.Scheduler.RunUntil(() => outcome.IsCompleted, cluster.Options.ConsensusTimeout));
        cluster.Crash(member);
        Assert.Equal(2, cluster.Stores[member].SaveCount);
        Assert.Empty(cluster.Observers[member].Attestations);
        cluster.Restart(member);
        cluster.Scheduler.RunUntil(() => outcome.IsCompleted, cluster.Options.ConsensusTimeout);

        Assert.IsType<RoundOutcome.Accepted>(outcome.Completed());
        // Restarted, it may re-send its one attestation (rule S2 hands back the stored signature); it signs nothing new.
        Assert.Equal(2, cluster.Stores[member].SaveCount);
        Assert.All(cluster.Observers[member].Attestations, a => Assert.Equal(Decision.Accept, a.Value));
        Assert.Empty(cluster.Observers[member].SigningRefusals);
    }
}
