namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>
/// One event queue for every node of a test cluster, ordered by (virtual time, insertion order): the loop of every
/// node, its timers and the network's deliveries all run from here, one at a time, so an inline-mode run is
/// deterministic. Posting is thread-safe (the threaded vote pipeline posts from its workers).
/// </summary>
internal sealed class Scheduler
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly PriorityQueue<Action, (long Ticks, long Sequence)> _queue = new();
    private long _nowTicks;
    private long _sequence;

    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
                return Epoch.AddTicks(_nowTicks);
        }
    }

    /// <summary>How long to wait, in real time, for posts from other threads before virtual time moves on (threaded mode).</summary>
    public TimeSpan RealIdleWait { get; set; } = TimeSpan.Zero;

    public void Post(Action action) => At(TimeSpan.Zero, action);

    public void At(TimeSpan delay, Action action)
    {
        lock (_gate)
        {
            var due = _nowTicks + Math.Max(0, delay.Ticks);
            _queue.Enqueue(action, (due, ++_sequence));
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Runs events until <paramref name="done"/> holds or virtual time reaches <paramref name="limit"/> from now.</summary>
    public void RunUntil(Func<bool> done, TimeSpan limit)
    {
        var end = Now + limit;
        while (!done() && Now <= end && Step(end))
        {
        }
    }

    /// <summary>Runs every event due within <paramref name="span"/> of virtual time from now.</summary>
    public void RunFor(TimeSpan span) => RunUntil(static () => false, span);

    private bool Step(DateTimeOffset end)
    {
        Action action;
        lock (_gate)
        {
            if (RealIdleWait > TimeSpan.Zero && (_queue.Count == 0 || _queue.TryPeek(out _, out var next) && next.Ticks > _nowTicks))
                Monitor.Wait(_gate, RealIdleWait);
            if (!_queue.TryPeek(out _, out var due) || Epoch.AddTicks(due.Ticks) > end)
                return false;
            action = _queue.Dequeue();
            _nowTicks = Math.Max(_nowTicks, due.Ticks);
        }
        action();
        return true;
    }
}
