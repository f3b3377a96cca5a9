namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>A <see cref="TimeProvider"/> whose clock is the scheduler's and whose timers are scheduler events.</summary>
internal sealed class VirtualTime(Scheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(scheduler, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class VirtualTimer(Scheduler scheduler, TimerCallback callback, object? state) : ITimer
    {
        private long _generation;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var generation = Interlocked.Increment(ref _generation);
            if (dueTime != Timeout.InfiniteTimeSpan)
                Schedule(generation, dueTime, period);
            return true;
        }

        public void Dispose() => Interlocked.Increment(ref _generation);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Schedule(long generation, TimeSpan due, TimeSpan period) =>
            scheduler.At(due, () =>
            {
                if (Interlocked.Read(ref _generation) != generation)
                    return;
                callback(state);
                if (period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero)
                    Schedule(generation, period, period);
            });
    }
}
