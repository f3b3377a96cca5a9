using Sequencer.Core.Consensus;
using Sequencer.Core.Tests.Consensus.Harness;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus;

public sealed class VoteCopiesTests
{
    [Fact]
    public void AVoteAcknowledgedByAMemberThatNeverGossipsIsStillHeldByASecondMember()
    {
        var block = TestCluster.Block(70);
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var seats = cluster.SeatsFor(0, block);
        var voter = Enumerable.Range(1, 15).First(i => seats.PositionOf(i) < 0);
        var first = seats.Candidates[VoteRouting.FirstSlot(TestCluster.IdOf(block), voter, seats.MainCount)];
        // The member the route names first acknowledges the vote, but nothing it publishes on the CRDT topic ever
        // arrives (as if it died right after acknowledging): had the voter stopped there, its vote would be lost.
        cluster.Network.DeliverTopicMessage = (topic, from, _, payload) =>
            from != first || (payload[1] != (byte)WireMessageType.VoteSetDelta && payload[1] != (byte)WireMessageType.VoteSetSummary);

        Assert.IsType<RoundOutcome.Accepted>(cluster.Run(0, block));
        cluster.Scheduler.RunFor(TimeSpan.FromSeconds(1)); // answers still in flight when the round decided

        var held = cluster.Observers[voter].Acknowledgements
            .Where(a => a.Round == TestCluster.IdOf(block) && a.Status is VoteAckStatus.Recorded or VoteAckStatus.Duplicate)
            .Select(a => a.Buddy).ToList();
        Assert.Equal(first, held[0]);
        Assert.Equal(2, held.Count);
        Assert.NotEqual(first, held[1]);
        Assert.Contains(held[1], seats.Candidates.Take(seats.MainCount));
        // The second member learnt it from the voter itself, not from the silent first member: it recorded it.
        Assert.Equal(VoteAckStatus.Recorded, cluster.Observers[voter].Acknowledgements.Last(a => a.Buddy == held[1]).Status);
    }
}
