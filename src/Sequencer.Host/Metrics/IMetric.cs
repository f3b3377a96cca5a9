namespace Sequencer.Host.Metrics;

/// <summary>One metric family in a <see cref="MetricsRegistry"/>: it writes its header and every series.</summary>
internal interface IMetric
{
    string Name { get; }

    void Write(ExpositionWriter writer);
}
