using Sequencer.Core.Consensus;
using Sequencer.Core.Safety;
using Sequencer.Core.Tests.Consensus.Harness;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus;

public sealed class VoterCrashTests
{
    [Fact]
    public void VoterThatCrashesAfterItsRecordResendsTheSameVoteAndSignsNoOther()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var block = TestCluster.Block(30);
        var seats = cluster.SeatsFor(0, block);
        var voter = Enumerable.Range(1, 15).First(i => seats.PositionOf(i) < 0);
        var announce = cluster.Options.PubSub_AnnounceChannel;
        // The vote's record becomes durable, then the process dies before the vote can leave.
        cluster.Stores[voter].ArmCrash(SafetyCrashPoint.AfterDurable);
        var outcome = cluster.Nodes[0].Consensus.StartAsync(block);

        Assert.Throws<SimulatedCrashException>(() => cluster.Scheduler.RunUntil(() => outcome.IsCompleted, cluster.Options.ConsensusTimeout));
        cluster.Crash(voter);
        Assert.Empty(cluster.Observers[voter].VotesSent);
        Assert.Equal(1, cluster.Stores[voter].SaveCount);
        cluster.Restart(voter);
        cluster.Scheduler.RunUntil(() => outcome.IsCompleted, cluster.Options.ConsensusTimeout);
        Assert.IsType<RoundOutcome.Accepted>(outcome.Completed());

        // The restarted voter hears the vote request again (a replay): it re-sends its stored vote, signing nothing new.
        var proposal = cluster.Network.Published.First(p => p.Topic == announce && p.Payload[1] == (byte)WireMessageType.Proposal);
        cluster.Nodes[voter].OnTopicMessage(announce, 0, proposal.Payload);
        cluster.Scheduler.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(Decision.Accept, Assert.Single(cluster.Observers[voter].VotesSent).Decision);
        Assert.Equal(1, cluster.Stores[voter].SaveCount);

        // Another block at the same height: rule S1 refuses, and the node carries on without voting.
        var rival = TestCluster.Block(30, "rival");
        var rivalOutcome = cluster.Nodes[3].Consensus.StartAsync(rival);
        cluster.Scheduler.RunUntil(() => rivalOutcome.IsCompleted, cluster.Options.ConsensusTimeout);
        var refusal = Assert.IsType<SafetyViolation.AlreadyVoted>(Assert.Single(cluster.Observers[voter].SigningRefusals));
        Assert.Equal((block.BlockHash, rival.BlockHash), (refusal.ExistingBlockHash, refusal.RequestedBlockHash));
        Assert.Single(cluster.Observers[voter].VotesSent);
    }
}
