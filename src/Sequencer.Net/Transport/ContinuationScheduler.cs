using System.IO.Pipelines;

namespace Sequencer.Net.Transport;

/// <summary>
/// A <see cref="PipeScheduler"/> for one side of one pipe that runs continuations on the thread pool without
/// allocating. <see cref="PipeScheduler.ThreadPool"/> allocates a work-item wrapper for every continuation it queues
/// (one per read or flush that had to wait), which would be the only per-frame allocation left in the stack. A pipe has
/// at most one pending continuation per side, so this scheduler keeps it in a single slot and queues itself (an
/// <see cref="IThreadPoolWorkItem"/>). Should a second continuation ever arrive while the slot is taken, it is queued
/// the ordinary, allocating way rather than lost. Never share an instance between pipes or pipe sides.
/// </summary>
internal sealed class ContinuationScheduler : PipeScheduler, IThreadPoolWorkItem
{
    private Action<object?>? _action;
    private object? _state;
    private int _occupied;

    public override void Schedule(Action<object?> action, object? state)
    {
        if (Interlocked.CompareExchange(ref _occupied, 1, 0) != 0)
        {
            System.Threading.ThreadPool.UnsafeQueueUserWorkItem(action, state, preferLocal: false);
            return;
        }
        _action = action;
        _state = state;
        System.Threading.ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        var action = _action!;
        var state = _state;
        _action = null;
        _state = null;
        // Released before running: the continuation usually registers the next one.
        Volatile.Write(ref _occupied, 0);
        action(state);
    }
}
