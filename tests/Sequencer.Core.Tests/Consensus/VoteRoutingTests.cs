using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Consensus;
using Sequencer.Core.Primitives;
using Sequencer.Core.Tests.Consensus.Harness;

namespace Sequencer.Core.Tests.Consensus;

public sealed class VoteRoutingTests
{
    [Property]
    public Property FailOverVisitsEveryMemberOncePerCycle() =>
        Prop.ForAll(Gen.Choose(0, 65_535).ToArbitrary(), Gen.Choose(1, 13).ToArbitrary(), (voter, size) =>
        {
            var round = new RoundId(7, (ulong)voter * 31, TestCluster.HashOf($"block {voter}"));
            var first = VoteRouting.FirstSlot(round, voter, size);
            var visited = Enumerable.Range(0, size).Select(attempt => VoteRouting.SlotAt(first, attempt, size)).ToHashSet();
            return first >= 0 && first < size && visited.Count == size && visited.All(slot => slot >= 0 && slot < size);
        });

    [Fact]
    public void RouteIsAFixedFunctionOfRoundAndVoter()
    {
        var round = new RoundId(7, 100, TestCluster.HashOf("block"));

        Assert.Equal(VoteRouting.FirstSlot(round, 42, 13), VoteRouting.FirstSlot(round, 42, 13));
        // Over many voters the first slots cover the committee (the hash spreads them).
        var slots = Enumerable.Range(0, 500).Select(voter => VoteRouting.FirstSlot(round, voter, 13)).ToHashSet();
        Assert.Equal(13, slots.Count);
        // Another round routes the same voters differently.
        var other = new RoundId(7, 101, TestCluster.HashOf("block"));
        Assert.NotEqual(
            Enumerable.Range(0, 50).Select(voter => VoteRouting.FirstSlot(round, voter, 13)),
            Enumerable.Range(0, 50).Select(voter => VoteRouting.FirstSlot(other, voter, 13)));
    }
}
