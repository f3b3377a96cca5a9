using System.Collections.Concurrent;
using Sequencer.Core.Ports;

namespace Sequencer.Net.Consensus;

/// <summary>
/// A node's single thread of control in production (ENGINE §1) without a thread of its own: posted work runs on the
/// thread pool, one item at a time, in the order it was posted. A process may hold a thousand of these (the cluster's
/// in-process voters), so an idle loop costs a queue and nothing else.
/// </summary>
/// <remarks>
/// <para>The invariant: at most one drain runs at a time, because only the poster that moves <c>_scheduled</c> from 0
/// to 1 queues a drain, and the drain sets it back to 0 only when it saw the queue empty — then re-checks the queue,
/// so an item posted between its last dequeue and the reset is never stranded.</para>
/// <para>An item that throws is reported to the fault callback and the loop goes on with the next one: one bad message
/// must not stop a validator. A drain runs at most <see cref="BatchSize"/> items before yielding the pool thread, so a
/// busy node cannot starve the others sharing the pool.</para>
/// </remarks>
public sealed class SerialNodeLoop : INodeLoop, IThreadPoolWorkItem
{
    /// <summary>Items one drain runs before it re-queues itself behind other pool work.</summary>
    public const int BatchSize = 256;

    private readonly ConcurrentQueue<Action> _queue = new();
    private readonly Action<Exception> _onFault;
    private int _scheduled;
    private long _faults;

    /// <param name="onFault">Told about every exception a work item throws (on the loop; it must not throw itself).</param>
    public SerialNodeLoop(Action<Exception> onFault)
    {
        ArgumentNullException.ThrowIfNull(onFault);
        _onFault = onFault;
    }

    /// <summary>Exceptions work items have thrown so far.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    public void Post(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _queue.Enqueue(work);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Runs <paramref name="work"/> on the loop and completes with its result (or its exception).</summary>
    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                completion.TrySetResult(work());
            }
            catch (Exception error)
            {
                completion.TrySetException(error);
            }
        });
        return completion.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the loop and completes when it has run.</summary>
    public Task InvokeAsync(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InvokeAsync(() =>
        {
            work();
            return true;
        });
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            for (var ran = 0; ran < BatchSize; ran++)
            {
                if (!_queue.TryDequeue(out var work))
                    goto Empty;
                Run(work);
            }
            // A full batch: give the pool thread back and continue later (still scheduled, so nobody else drains).
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;

        Empty:
            Volatile.Write(ref _scheduled, 0);
            if (_queue.IsEmpty || Interlocked.Exchange(ref _scheduled, 1) != 0)
                return;
        }
    }

    private void Run(Action work)
    {
        try
        {
            work();
        }
        catch (Exception error)
        {
            Interlocked.Increment(ref _faults);
            try
            {
                _onFault(error);
            }
            catch (Exception)
            {
                // The fault callback is the last line of defence; its own failure cannot be reported anywhere better.
            }
        }
    }
}
