using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// A round's events in time (the seed's <c>Triggers</c>, without its fixed sleeps): its one deadline, which ends the
/// round whatever happened, and the few periodic or one-shot timers its roles arm (a buddy's anti-entropy summaries, the
/// sequencer's result pull before the deadline, a voter's next fail-over cycle) — plus the round's vote-result map,
/// which member attested what. Disposing it cancels every timer of the round at once. Loop-only.
/// </summary>
/// <remarks>
/// Nothing in a round ever waits by sleeping: each wait is one of these timers or a message, and every timer runs its
/// callback on the node's loop (<see cref="LoopTimer"/>), so under the simulation's virtual clock a schedule replays
/// exactly.
/// </remarks>
internal sealed class Triggers : IDisposable
{
    private readonly NodeRuntime _runtime;
    private readonly List<LoopTimer> _timers = [];
    private bool _disposed;

    public Triggers(NodeRuntime runtime, ulong deadlineUnixMs, Action onDeadline)
    {
        _runtime = runtime;
        Deadline = deadlineUnixMs;
        _timers.Add(LoopTimer.Once(runtime.Time, runtime.Loop, runtime.Until(deadlineUnixMs), onDeadline));
    }

    /// <summary>The round's one deadline, unix milliseconds.</summary>
    public ulong Deadline { get; }

    public DateTimeOffset DeadlineTime => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(Deadline, long.MaxValue));

    /// <summary>The vote-result map: each committee member's verified attestation value, as this node received it (the first, if it sent both).</summary>
    public Dictionary<int, Decision> VoteResults { get; } = [];

    /// <summary>Runs <paramref name="callback"/> once after <paramref name="due"/>, unless the round ends first.</summary>
    public LoopTimer Once(TimeSpan due, Action callback) => Track(LoopTimer.Once(_runtime.Time, _runtime.Loop, due, callback));

    /// <summary>Runs <paramref name="callback"/> after <paramref name="first"/>, then every <paramref name="period"/>, until the round ends.</summary>
    public LoopTimer Every(TimeSpan first, TimeSpan period, Action callback) =>
        Track(LoopTimer.Every(_runtime.Time, _runtime.Loop, first, period, callback));

    public void Dispose()
    {
        _disposed = true;
        foreach (var timer in _timers)
            timer.Dispose();
        _timers.Clear();
    }

    private LoopTimer Track(LoopTimer timer)
    {
        if (_disposed)
            timer.Dispose();
        else
            _timers.Add(timer);
        return timer;
    }
}
