namespace Sequencer.Host.Metrics;

/// <summary>
/// A counter with one label whose values are all declared up front, so every series is exported (as 0) from the start
/// — a series that appears only after its first event breaks rate() and alerting on absence. Series are addressed by
/// index (the caller's enum value), never by string, so counting allocates nothing.
/// </summary>
internal sealed class LabeledCounter : IMetric
{
    private readonly string _help;
    private readonly string _labelName;
    private readonly string[] _labelValues;
    private readonly long[] _values;

    public LabeledCounter(string name, string help, string labelName, IReadOnlyList<string> labelValues)
    {
        Name = name;
        _help = help;
        _labelName = labelName;
        _labelValues = [.. labelValues];
        _values = new long[_labelValues.Length];
    }

    public string Name { get; }

    public int Count => _values.Length;

    public string LabelValue(int index) => _labelValues[index];

    public long Value(int index) => Interlocked.Read(ref _values[index]);

    public void Increment(int index) => Interlocked.Increment(ref _values[index]);

    public void Write(ExpositionWriter writer)
    {
        writer.WriteHeader(Name, "counter", _help);
        for (var index = 0; index < _values.Length; index++)
            writer.WriteSample(Name, _labelName, _labelValues[index], Value(index));
    }
}
