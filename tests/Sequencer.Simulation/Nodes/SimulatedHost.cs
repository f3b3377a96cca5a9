using Sequencer.Core.Safety;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Nodes;

/// <summary>
/// One simulated machine: a disk (its <see cref="InMemorySafetyStore"/> and <see cref="InMemoryDecisionLog"/>, kept
/// across crashes) and at most one running process at a time. <see cref="Crash"/> throws away everything volatile —
/// the process object, its loop, timers, subscriptions, requests in flight — and <see cref="Restart"/> builds a new
/// process over the same disk, as a real restart would.
/// </summary>
public sealed class SimulatedHost
{
    private readonly SimulationScheduler _scheduler;
    private readonly SimulatedNetwork _network;
    private readonly Func<HostStart, IHostedProcess> _factory;
    private readonly int _seed;
    private int _incarnations;

    /// <param name="seed">Drawn from the run's master <see cref="Random"/>; each incarnation's random derives from it.</param>
    public SimulatedHost(
        SimulationScheduler scheduler, SimulatedNetwork network, int hostId, int validatorIndex, string name, int seed,
        Func<HostStart, IHostedProcess> factory)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(factory);
        _scheduler = scheduler;
        _network = network;
        _factory = factory;
        _seed = seed;
        HostId = hostId;
        ValidatorIndex = validatorIndex;
        Name = name;
    }

    public int HostId { get; }

    public int ValidatorIndex { get; }

    public string Name { get; }

    public InMemorySafetyStore SafetyStore { get; } = new();

    public InMemoryDecisionLog DecisionLog { get; } = new();

    /// <summary>The running incarnation, or null while the host is down.</summary>
    public IHostedProcess? Process { get; private set; }

    public ProcessScope? Scope { get; private set; }

    public SimulatedEndpoint? Endpoint { get; private set; }

    public bool IsRunning => Scope is { IsAlive: true };

    public int CrashCount { get; private set; }

    /// <summary>Called after every crash, scripted or injected (a scenario may schedule a restart here).</summary>
    public Action<SimulatedHost>? OnCrashed { get; set; }

    /// <summary>Starts a new incarnation now (as a global event's work or from the scenario set-up).</summary>
    /// <exception cref="InvalidOperationException">The host is already running.</exception>
    public void Start()
    {
        if (IsRunning)
            throw new InvalidOperationException($"{Name} is already running");
        var incarnation = _incarnations++;
        var scope = new ProcessScope(_scheduler, HostId, incarnation, Name);
        scope.OnInjectedCrash = _ => Crash();
        var endpoint = _network.Connect(scope, ValidatorIndex);
        var start = new HostStart(this, scope, endpoint, new Random(unchecked(_seed * 1_000_003 + incarnation)),
            new CrashAwareSafetyStore(SafetyStore, Crash), new CrashAwareDecisionLog(DecisionLog, Crash));
        Scope = scope;
        Endpoint = endpoint;
        var process = _factory(start);
        Process = process;
        endpoint.Events = process.Events;
        scope.Schedule(TimeSpan.Zero, TraceKind.Restart, (ulong)incarnation, process.Start);
    }

    /// <summary>Kills the running process at once; the disk stays. Does nothing while the host is down.</summary>
    public void Crash()
    {
        if (Scope is not { IsAlive: true } scope)
            return;
        scope.Terminate();
        _network.Disconnect(Endpoint!);
        Process = null;
        CrashCount++;
        OnCrashed?.Invoke(this);
    }

    /// <summary>Crashes (if running) and starts a new incarnation over the same disk.</summary>
    public void Restart()
    {
        Crash();
        Start();
    }

    /// <summary>Makes the next durable safety write die at <paramref name="point"/>, killing the process.</summary>
    public void ArmSafetyCrash(SafetyCrashPoint point) => SafetyStore.ArmCrash(point);

    /// <summary>Makes the next decision-log append die at <paramref name="point"/>, killing the process.</summary>
    public void ArmDecisionLogCrash(SafetyCrashPoint point) => DecisionLog.ArmCrash(point);

    public override string ToString() => Name;
}
