using System.Globalization;

namespace Sequencer.Host.Metrics;

/// <summary>
/// A histogram over fixed bucket upper bounds. Each observation lands in the first bucket whose bound it does not
/// exceed (the "+Inf" bucket past the last); the exposition cumulates them, as Prometheus expects. Observations are
/// lock-free; a scrape that races one may see the count and the buckets differ by that one observation, which
/// Prometheus tolerates.
/// </summary>
internal sealed class Histogram : IMetric
{
    private readonly string _help;
    private readonly double[] _bounds;
    private readonly string[] _boundLabels;
    private readonly long[] _buckets;
    private long _count;
    private long _sumBits;

    /// <param name="bounds">Strictly increasing, finite upper bounds.</param>
    public Histogram(string name, string help, IReadOnlyList<double> bounds)
    {
        for (var index = 0; index < bounds.Count; index++)
        {
            if (!double.IsFinite(bounds[index]) || index > 0 && bounds[index] <= bounds[index - 1])
                throw new ArgumentException($"bucket bounds must be finite and strictly increasing; bound {index} is {bounds[index]}", nameof(bounds));
        }
        Name = name;
        _help = help;
        _bounds = [.. bounds];
        _boundLabels = new string[_bounds.Length + 1];
        for (var index = 0; index < _bounds.Length; index++)
            _boundLabels[index] = _bounds[index].ToString("R", CultureInfo.InvariantCulture);
        _boundLabels[^1] = "+Inf";
        _buckets = new long[_bounds.Length + 1];
    }

    public string Name { get; }

    public long Count => Interlocked.Read(ref _count);

    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits));

    public void Observe(double value)
    {
        if (double.IsNaN(value))
            return;
        var bucket = _bounds.Length;
        for (var index = 0; index < _bounds.Length; index++)
        {
            if (value <= _bounds[index])
            {
                bucket = index;
                break;
            }
        }
        Interlocked.Increment(ref _buckets[bucket]);
        var current = Interlocked.Read(ref _sumBits);
        while (true)
        {
            var updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + value);
            var seen = Interlocked.CompareExchange(ref _sumBits, updated, current);
            if (seen == current)
                break;
            current = seen;
        }
        Interlocked.Increment(ref _count);
    }

    public void Write(ExpositionWriter writer)
    {
        writer.WriteHeader(Name, "histogram", _help);
        var bucketName = Name + "_bucket";
        long cumulative = 0;
        for (var index = 0; index < _buckets.Length; index++)
        {
            cumulative += Interlocked.Read(ref _buckets[index]);
            writer.WriteSample(bucketName, "le", _boundLabels[index], cumulative);
        }
        writer.WriteSample(Name + "_sum", null, null, Sum);
        writer.WriteSample(Name + "_count", null, null, cumulative);
    }
}
