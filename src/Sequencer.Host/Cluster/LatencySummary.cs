namespace Sequencer.Host.Cluster;

/// <summary>
/// Percentiles of round latencies by the nearest-rank method: the p-th percentile of n sorted samples is the sample at
/// rank ⌈p·n/100⌉. Every reported figure is a latency some round really had (no interpolation), which is what an
/// operator reading "p99 = 80 ms" over 10 rounds expects: the slowest round, not a blend of two.
/// </summary>
internal readonly record struct LatencySummary(int Count, double P50, double P90, double P99, double Max)
{
    public static LatencySummary Empty => default;

    /// <summary>The summary of <paramref name="samples"/> (milliseconds; any order; not modified).</summary>
    public static LatencySummary Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
            return Empty;
        var sorted = new double[samples.Count];
        var i = 0;
        foreach (var sample in samples)
            sorted[i++] = sample;
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Rank(sorted, 50), Rank(sorted, 90), Rank(sorted, 99), sorted[^1]);
    }

    /// <summary>The nearest-rank percentile of ascending <paramref name="sorted"/> (non-empty), 0 &lt; p ≤ 100.</summary>
    public static double Rank(ReadOnlySpan<double> sorted, int percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.IsEmpty)
            throw new ArgumentException("no samples", nameof(sorted));
        // ⌈p·n/100⌉ in integers: (p·n + 99) / 100, a rank in 1 … n.
        var rank = (int)(((long)percent * sorted.Length + 99) / 100);
        return sorted[rank - 1];
    }
}
