namespace Sequencer.Simulation.Scheduling;

/// <summary>
/// A timer whose expiries are events of the global queue. <see cref="Change"/> and <see cref="Dispose"/> invalidate
/// the scheduled expiry by bumping a generation number (the queue has no removal; a stale expiry finds the generation
/// moved on and does nothing). A due time of zero fires as an event at the current instant, never inline, like a real
/// timer's callback on another thread.
/// </summary>
internal sealed class VirtualTimer(ProcessScope scope, TimerCallback callback, object? state) : ITimer
{
    private long _generation;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _disposed;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        ValidateTime(dueTime, nameof(dueTime));
        ValidateTime(period, nameof(period));
        if (_disposed)
            return false;
        _generation++;
        _period = period;
        if (dueTime != Timeout.InfiniteTimeSpan)
            Arm(dueTime);
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        _generation++;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Arm(TimeSpan dueTime)
    {
        var generation = _generation;
        scope.Schedule(dueTime, TraceKind.Timer, (ulong)dueTime.Ticks, () => Fire(generation));
    }

    private void Fire(long generation)
    {
        if (generation != _generation || _disposed)
            return;
        // A zero period means "once", as for System.Threading.Timer.
        if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
            Arm(_period);
        callback(state);
    }

    private static void ValidateTime(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(name, value, "must be non-negative or infinite");
    }
}
