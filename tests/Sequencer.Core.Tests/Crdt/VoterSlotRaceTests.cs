using Sequencer.Core.Crdt;
using Sequencer.Core.Wire;
using static Sequencer.Core.Tests.VotePipeline.VoteFixture;

namespace Sequencer.Core.Tests.Crdt;

/// <summary>
/// The slot's transitions when both halves of an equivocation complete at once: every interleaving leaves the
/// voter's weight on neither side and reports exactly one half as the equivocation.
/// </summary>
public sealed class VoterSlotRaceTests
{
    private const ulong Weight = 5;
    private const ulong Total = 100;

    /// <summary>Runs <see cref="During"/> the first time a weight is added: another thread, at exactly that moment.</summary>
    private sealed class InterleavingTally(VoteTally inner) : IWeightTally
    {
        public Action? During { get; set; }

        public ulong Add(Decision decision, ulong weight)
        {
            var sideWeight = inner.Add(decision, weight);
            var during = During;
            During = null;
            during?.Invoke();
            return sideWeight;
        }

        public void MoveToEquivocators(Decision decision, ulong weight) => inner.MoveToEquivocators(decision, weight);
    }

    private static VoterSlot[] ClaimedBoth()
    {
        var slots = new VoterSlot[1];
        Assert.Equal(SlotClaim.Claimed, slots[0].TryClaim(Decision.Accept, Signed(0, Decision.Accept).Signature));
        Assert.Equal(SlotClaim.Claimed, slots[0].TryClaim(Decision.Reject, Signed(0, Decision.Reject).Signature));
        return slots;
    }

    [Theory]
    [InlineData(Decision.Accept)]
    [InlineData(Decision.Reject)]
    public void TheSecondHalfCompletingWhileTheFirstIsAddingLeavesTheFirstToTakeItsWeightBack(Decision first)
    {
        var slots = ClaimedBoth();
        var inner = new VoteTally(Total);
        var tally = new InterleavingTally(inner);
        SlotCompletion second = default;
        tally.During = () => second = slots[0].Complete(Opposite(first), Weight, tally);

        var firstCompletion = slots[0].Complete(first, Weight, tally);

        Assert.False(firstCompletion.IsEquivocation);
        Assert.False(firstCompletion.WeightStands);
        Assert.True(second.IsEquivocation);
        Assert.Equal(new VoteTallySnapshot(0, 0, 0, 0, 1, Weight, Total), inner.Read());
        Assert.Equal(VoterDecisions.Equivocated, slots[0].Verified);
    }

    [Theory]
    [InlineData(Decision.Accept)]
    [InlineData(Decision.Reject)]
    public void TheSecondHalfCompletingAfterTheFirstTakesTheFirstsWeightBack(Decision first)
    {
        var slots = ClaimedBoth();
        var tally = new VoteTally(Total);

        var firstCompletion = slots[0].Complete(first, Weight, tally);
        Assert.True(firstCompletion.WeightStands);
        Assert.Equal(Weight, firstCompletion.SideWeight);
        var second = slots[0].Complete(Opposite(first), Weight, tally);

        Assert.True(second.IsEquivocation);
        Assert.Equal(new VoteTallySnapshot(0, 0, 0, 0, 1, Weight, Total), tally.Read());
    }

    [Fact]
    public void ReleasingOneHalfLeavesTheOtherCounted()
    {
        var slots = ClaimedBoth();
        var tally = new VoteTally(Total);
        slots[0].Release(Decision.Reject);
        Assert.True(slots[0].Complete(Decision.Accept, Weight, tally).WeightStands);
        Assert.Equal(new VoteTallySnapshot(Weight, 0, 1, 0, 0, 0, Total), tally.Read());
        Assert.Equal(VoterDecisions.Accept, slots[0].Verified);
        Assert.Equal(SlotClaim.Claimed, slots[0].TryClaim(Decision.Reject, Signed(0, Decision.Reject).Signature));
    }

    /// <summary>The same on two real threads, many times: whatever interleavings the scheduler produces.</summary>
    [Fact]
    public void ConcurrentHalvesOfEquivocationsLeaveTheWeightOnNeitherSide()
    {
        for (var round = 0; round < 100; round++)
        {
            var set = new VoteSet(Round, Roster);
            for (var voter = 0u; voter < VoterCount; voter++)
            {
                set.TryClaim(voter, Decision.Accept, Signed(voter, Decision.Accept).Signature);
                set.TryClaim(voter, Decision.Reject, Signed(voter, Decision.Reject).Signature);
            }
            var completions = new SlotCompletion[2][];
            using var start = new Barrier(2);
            var threads = new[] { Decision.Accept, Decision.Reject }.Select((decision, t) => new Thread(() =>
            {
                completions[t] = new SlotCompletion[VoterCount];
                start.SignalAndWait();
                for (var voter = 0u; voter < VoterCount; voter++)
                    completions[t][voter] = set.Complete(voter, decision);
            })).ToArray();
            foreach (var thread in threads)
                thread.Start();
            foreach (var thread in threads)
                thread.Join();

            Assert.Equal(new VoteTallySnapshot(0, 0, 0, 0, VoterCount, Roster.TotalWeight, Roster.TotalWeight), set.Tally);
            for (var voter = 0; voter < VoterCount; voter++)
            {
                Assert.True(completions[0][voter].IsEquivocation ^ completions[1][voter].IsEquivocation);
                Assert.False(completions[0][voter].WeightStands && completions[1][voter].WeightStands);
            }
        }
    }
}
