using FsCheck;
using FsCheck.Fluent;
using Sequencer.Host.Cluster;

namespace Sequencer.Host.Tests.Cluster;

public sealed class LatencySummaryTests
{
    [Fact]
    public void NearestRankOverTenRounds()
    {
        // 10 samples: p50 is the 5th, p90 the 9th, p99 and max the 10th.
        var summary = LatencySummary.Of([100, 10, 90, 20, 80, 30, 70, 40, 60, 50]);
        Assert.Equal(new LatencySummary(10, 50, 90, 100, 100), summary);
    }

    [Fact]
    public void OneSampleIsEveryPercentileAndNoneIsEmpty()
    {
        Assert.Equal(new LatencySummary(1, 7.5, 7.5, 7.5, 7.5), LatencySummary.Of([7.5]));
        Assert.Equal(0, LatencySummary.Of([]).Count);
        Assert.Throws<ArgumentException>(() => LatencySummary.Rank([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySummary.Rank([1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySummary.Rank([1], 101));
    }

    [Fact]
    public void PercentilesAreSamplesInOrderAndRankedAsDefined()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyArray<NormalFloat>>(), input =>
        {
            var samples = input.Get.Select(x => x.Get).ToArray();
            var summary = LatencySummary.Of(samples);
            var sorted = samples.Order().ToArray();
            bool AtRank(double value, int percent) =>
                value == sorted[(int)Math.Ceiling(percent * sorted.Length / 100.0) - 1];
            return summary.Count == samples.Length && samples.Contains(summary.P50)
                && summary.P50 <= summary.P90 && summary.P90 <= summary.P99 && summary.P99 <= summary.Max
                && summary.Max == sorted[^1] && AtRank(summary.P50, 50) && AtRank(summary.P90, 90) && AtRank(summary.P99, 99);
        }).QuickCheckThrowOnFailure();
    }
}
