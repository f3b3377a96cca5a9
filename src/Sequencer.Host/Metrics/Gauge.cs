namespace Sequencer.Host.Metrics;

/// <summary>A value that goes up and down (an integer: counts of things that exist now); safe from any thread.</summary>
internal sealed class Gauge(string name, string help) : IMetric
{
    private long _value;

    public string Name { get; } = name;

    public long Value => Interlocked.Read(ref _value);

    public void Set(long value) => Interlocked.Exchange(ref _value, value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Decrement() => Interlocked.Decrement(ref _value);

    public void Write(ExpositionWriter writer)
    {
        writer.WriteHeader(Name, "gauge", help);
        writer.WriteSample(Name, null, null, Value);
    }
}
