using Sequencer.Core.Safety;

namespace Sequencer.Simulation.Scheduling;

/// <summary>
/// The simulation's one event queue and virtual clock (ENGINE design §1, §6). Every node's loop posts, every timer,
/// every network delivery and every scripted step is an event ordered by (virtual time, sequence number); events run
/// one at a time on the calling thread, each under its process's synchronization context so that <c>await</c>
/// continuations come back here too. Nothing reads the wall clock and nothing runs on another thread, so the order of
/// execution — and with it the whole run — is a function of what was scheduled, which is a function of the seed.
/// </summary>
public sealed class SimulationScheduler
{
    /// <summary>Virtual time zero as a calendar instant (what <c>GetUtcNow</c> shows at the start of every run).</summary>
    public static readonly DateTimeOffset DefaultEpoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PriorityQueue<ScheduledEvent, EventKey> _queue = new();
    private readonly int _ownerThread = Environment.CurrentManagedThreadId;
    private long _nextSequence;
    private TraceHash _trace;
    private int _foreignPosts;

    public SimulationScheduler() : this(DefaultEpoch)
    {
    }

    public SimulationScheduler(DateTimeOffset epoch) => Epoch = epoch;

    public DateTimeOffset Epoch { get; }

    /// <summary>Virtual time elapsed since <see cref="Epoch"/>.</summary>
    public TimeSpan Now { get; private set; }

    public DateTimeOffset UtcNow => Epoch + Now;

    public long ExecutedEvents { get; private set; }

    public int PendingEvents => _queue.Count;

    /// <summary>The fingerprint of every event executed so far (see <see cref="Scheduling.TraceHash"/>).</summary>
    public ulong TraceHash => _trace.Value;

    /// <summary>The process whose event is running, or null between events and in global events.</summary>
    public ProcessScope? CurrentScope { get; private set; }

    /// <summary>
    /// Schedules <paramref name="work"/> at <see cref="Now"/> + <paramref name="delay"/>. With a
    /// <paramref name="scope"/>, the event belongs to that process and is dropped if the process has died by then;
    /// without, it is a global event (a scripted step). <paramref name="detail"/> goes into the trace hash.
    /// </summary>
    public void Schedule(TimeSpan delay, ProcessScope? scope, TraceKind kind, ulong detail, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Environment.CurrentManagedThreadId != _ownerThread)
        {
            // Something escaped to a real thread (a continuation on the thread pool) and came back: the run is no
            // longer deterministic. It is reported by Run on its own thread, never thrown on the foreign one.
            Interlocked.Increment(ref _foreignPosts);
            return;
        }
        if (delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "events cannot be scheduled in the past");
        _queue.Enqueue(new ScheduledEvent(scope, kind, detail, work), new EventKey((Now + delay).Ticks, _nextSequence++));
    }

    /// <summary>
    /// Executes events in order until none is left, the next one lies beyond <paramref name="horizon"/> (virtual time
    /// since the epoch), <paramref name="until"/> holds after an event, or <paramref name="maxEvents"/> have run in
    /// this call. On the horizon stop the clock is advanced to the horizon.
    /// </summary>
    /// <exception cref="SimulationFailureException">An event threw something other than an injected crash.</exception>
    public SimulationStop Run(TimeSpan horizon, Func<bool>? until = null, long maxEvents = long.MaxValue)
    {
        var executed = 0L;
        while (_queue.TryPeek(out _, out var key))
        {
            if (key.Ticks > horizon.Ticks)
            {
                if (Now < horizon)
                    Now = horizon;
                return SimulationStop.Horizon;
            }
            if (executed == maxEvents)
                return SimulationStop.EventLimit;
            var next = _queue.Dequeue();
            Now = TimeSpan.FromTicks(key.Ticks);
            if (next.Scope is { IsAlive: false })
                continue;
            executed++;
            Execute(next, key);
            if (Volatile.Read(ref _foreignPosts) != 0)
                throw new SimulationFailureException(Now, next.Scope?.ToString() ?? "the scenario script",
                    new InvalidOperationException("work was scheduled from a thread other than the simulation's: something ran on the thread pool"));
            if (until is not null && until())
                return SimulationStop.Condition;
        }
        return SimulationStop.Idle;
    }

    private void Execute(in ScheduledEvent scheduled, EventKey key)
    {
        ExecutedEvents++;
        _trace.Add((ulong)key.Ticks);
        _trace.Add((ulong)key.Sequence);
        _trace.Add(scheduled.Scope is null ? ulong.MaxValue : (ulong)(uint)scheduled.Scope.HostId << 32 | (uint)scheduled.Scope.Incarnation);
        _trace.Add((ulong)scheduled.Kind << 56 ^ scheduled.Detail);

        var previousContext = SynchronizationContext.Current;
        CurrentScope = scheduled.Scope;
        if (scheduled.Scope is not null)
            SynchronizationContext.SetSynchronizationContext(scheduled.Scope.SynchronizationContext);
        try
        {
            scheduled.Work();
        }
        catch (SimulatedCrashException crash) when (scheduled.Scope is not null)
        {
            scheduled.Scope.Terminate();
            scheduled.Scope.OnInjectedCrash?.Invoke(crash);
        }
        catch (Exception e) when (e is not SimulationFailureException)
        {
            throw new SimulationFailureException(Now, scheduled.Scope?.ToString() ?? "the scenario script", e);
        }
        finally
        {
            CurrentScope = null;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    private readonly record struct ScheduledEvent(ProcessScope? Scope, TraceKind Kind, ulong Detail, Action Work);
}
