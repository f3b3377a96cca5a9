namespace Sequencer.Net.PubSub;

/// <summary>Monotonic time for the router, in the injected provider's timestamp ticks (tests advance a fake one).</summary>
internal sealed class RouterClock(TimeProvider time)
{
    private readonly double _frequency = time.TimestampFrequency;

    public TimeProvider Provider { get; } = time;

    public long Now => Provider.GetTimestamp();

    public long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * _frequency);

    public TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((to - from) / _frequency);
}
