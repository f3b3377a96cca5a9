namespace Sequencer.Host.Metrics;

/// <summary>A monotonically increasing count without labels; safe to increment from any thread.</summary>
internal sealed class Counter(string name, string help) : IMetric
{
    private long _value;

    public string Name { get; } = name;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref _value, amount);
    }

    public void Write(ExpositionWriter writer)
    {
        writer.WriteHeader(Name, "counter", help);
        writer.WriteSample(Name, null, null, Value);
    }
}
