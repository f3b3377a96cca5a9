using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Scheduling;

/// <summary>
/// One incarnation of one simulated process: everything it schedules (loop posts, timers, deliveries addressed to it)
/// carries this scope, and once the scope is terminated — the process crashed or stopped — none of it runs any more.
/// A restart is a new scope for the same host, so nothing of the old incarnation leaks into the new one except what
/// the host deliberately keeps (its durable stores).
/// </summary>
public sealed class ProcessScope
{
    private readonly ScopeSynchronizationContext _synchronizationContext;

    public ProcessScope(SimulationScheduler scheduler, int hostId, int incarnation, string name)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Scheduler = scheduler;
        HostId = hostId;
        Incarnation = incarnation;
        Name = name;
        Loop = new SimulatedNodeLoop(this);
        Time = new VirtualTimeProvider(this);
        _synchronizationContext = new ScopeSynchronizationContext(this);
    }

    public SimulationScheduler Scheduler { get; }

    /// <summary>The simulated machine this process runs on; stable across restarts.</summary>
    public int HostId { get; }

    /// <summary>0 for the first start, +1 per restart.</summary>
    public int Incarnation { get; }

    public string Name { get; }

    public bool IsAlive { get; private set; } = true;

    /// <summary>The process's single thread of control: every post is an event of the global queue, at the current virtual time.</summary>
    public INodeLoop Loop { get; }

    /// <summary>The virtual clock as this process sees it; its timers die with the process.</summary>
    public TimeProvider Time { get; }

    /// <summary>
    /// Called (inside the failing event) when code of this process throws <see cref="Core.Safety.SimulatedCrashException"/>:
    /// an injected crash inside a durable write. The host terminates the scope and decides about a restart.
    /// </summary>
    public Action<Exception>? OnInjectedCrash { get; set; }

    internal SynchronizationContext SynchronizationContext => _synchronizationContext;

    /// <summary>Schedules <paramref name="work"/> on this process after <paramref name="delay"/> of virtual time.</summary>
    public void Schedule(TimeSpan delay, TraceKind kind, ulong detail, Action work) =>
        Scheduler.Schedule(delay, this, kind, detail, work);

    /// <summary>Ends this incarnation: its queued events and timers are dropped when their time comes.</summary>
    public void Terminate() => IsAlive = false;

    public override string ToString() => Incarnation == 0 ? Name : $"{Name}#{Incarnation}";

    /// <summary>
    /// Makes every <c>await</c> inside this process continue on the process's loop (as an event of the global queue)
    /// rather than on the thread pool, so async engine code stays deterministic.
    /// </summary>
    private sealed class ScopeSynchronizationContext(ProcessScope scope) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) =>
            scope.Schedule(TimeSpan.Zero, TraceKind.Post, 0, () => d(state));

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new NotSupportedException("a simulated process never blocks on another context");

        public override SynchronizationContext CreateCopy() => this;
    }
}
