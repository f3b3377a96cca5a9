using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Simulation.Tests.Fakes;

namespace Sequencer.Simulation.Tests.Nodes;

public sealed class DeterminismTests
{
    [Property(MaxTest = 10)]
    public Property TheSameSeedReplaysTheSameRunEventForEvent() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var first = ChattyRun.Run(seed);
            var second = ChattyRun.Run(seed);
            return (first.TraceHash == second.TraceHash).Label("trace hash")
                .And(first.Journal.SequenceEqual(second.Journal)).Label("journal")
                .And(first.Statistics == second.Statistics).Label("statistics")
                .And(first.SaveCounts.SequenceEqual(second.SaveCounts)).Label("durable writes");
        });

    [Fact]
    public void DifferentSeedsGiveDifferentRuns()
    {
        var hashes = Enumerable.Range(0, 8).Select(seed => ChattyRun.Run(seed).TraceHash).ToHashSet();
        Assert.Equal(8, hashes.Count);
    }

    [Fact]
    public void AChattyRunExercisesFaultsCrashesAndRestarts()
    {
        var outcome = ChattyRun.Run(12345);
        Assert.True(outcome.Events > 1000, $"only {outcome.Events} events");
        Assert.True(outcome.CrashCounts.Sum() >= 3, $"crashes: {string.Join(",", outcome.CrashCounts)}");
        Assert.Contains(outcome.Journal, line => line.Contains("#1: "));
        Assert.Contains(outcome.Journal, line => line.Contains("Unreachable"));
        Assert.Contains(outcome.Journal, line => line.Contains("TimedOut"));
    }
}
