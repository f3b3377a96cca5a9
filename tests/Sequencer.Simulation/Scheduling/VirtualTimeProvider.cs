namespace Sequencer.Simulation.Scheduling;

/// <summary>
/// The virtual clock as one process sees it: <see cref="GetUtcNow"/> and <see cref="GetTimestamp"/> read the
/// scheduler's virtual time, and every timer (including those behind <c>Task.Delay</c> and
/// <c>CancellationTokenSource</c> with this provider) is an event of the global queue owned by the process, so timers
/// of a crashed incarnation never fire.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private readonly ProcessScope _scope;

    internal VirtualTimeProvider(ProcessScope scope) => _scope = scope;

    public override DateTimeOffset GetUtcNow() => _scope.Scheduler.UtcNow;

    public override long GetTimestamp() => _scope.Scheduler.Now.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(_scope, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }
}
