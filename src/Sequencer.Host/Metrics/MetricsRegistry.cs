using System.Buffers;

namespace Sequencer.Host.Metrics;

/// <summary>The metric families a process exports, written in registration order. Names must be unique.</summary>
internal sealed class MetricsRegistry
{
    private readonly List<IMetric> _metrics = [];
    private readonly Lock _gate = new();

    public T Register<T>(T metric) where T : IMetric
    {
        lock (_gate)
        {
            foreach (var existing in _metrics)
            {
                if (existing.Name == metric.Name)
                    throw new ArgumentException($"metric {metric.Name} is already registered", nameof(metric));
            }
            _metrics.Add(metric);
        }
        return metric;
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var writer = new ExpositionWriter(output);
        lock (_gate)
        {
            foreach (var metric in _metrics)
                metric.Write(writer);
        }
    }
}
