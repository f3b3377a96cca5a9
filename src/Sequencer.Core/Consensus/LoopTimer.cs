using Sequencer.Core.Ports;

namespace Sequencer.Core.Consensus;

/// <summary>
/// A <see cref="TimeProvider"/> timer whose callback runs on the node's loop. The provider's timer fires on whatever
/// thread it uses (a pool thread in production, the simulation's scheduler under virtual time) and only posts; the
/// callback itself runs later on the loop, and not at all once the timer is disposed — disposal happens on the loop,
/// so the check and the disposal never race.
/// </summary>
internal sealed class LoopTimer : IDisposable
{
    private readonly INodeLoop _loop;
    private readonly Action _callback;
    private readonly Action _run;
    private readonly ITimer _timer;
    private bool _disposed;

    private LoopTimer(TimeProvider time, INodeLoop loop, TimeSpan due, TimeSpan period, Action callback)
    {
        _loop = loop;
        _callback = callback;
        _run = Run;
        _timer = time.CreateTimer(static state => ((LoopTimer)state!).Fire(), this,
            due < TimeSpan.Zero ? TimeSpan.Zero : due, period);
    }

    /// <summary>Runs <paramref name="callback"/> once, <paramref name="due"/> from now (at once if it is not positive).</summary>
    public static LoopTimer Once(TimeProvider time, INodeLoop loop, TimeSpan due, Action callback) =>
        new(time, loop, due, Timeout.InfiniteTimeSpan, callback);

    /// <summary>Runs <paramref name="callback"/> after <paramref name="due"/>, then every <paramref name="period"/>.</summary>
    public static LoopTimer Every(TimeProvider time, INodeLoop loop, TimeSpan due, TimeSpan period, Action callback) =>
        new(time, loop, due, period, callback);

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    private void Fire() => _loop.Post(_run);

    private void Run()
    {
        if (!_disposed)
            _callback();
    }
}
