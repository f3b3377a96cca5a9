using System.Collections.Concurrent;

namespace Sequencer.Net.Host;

/// <summary>
/// The host's fire-and-forget work (accept loops, upgrades, stream handlers, identify exchanges): each task is kept
/// until it completes, so that disposing the host can wait for all of them within its bound, and a task's failure is
/// observed here rather than becoming an unobserved exception.
/// </summary>
internal sealed class BackgroundTasks
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public int Count => _running.Count;

    public void Add(Task task)
    {
        if (task.IsCompleted)
        {
            _ = task.Exception;
            return;
        }
        _running.TryAdd(task, 0);
        task.ContinueWith(static (done, state) =>
        {
            _ = done.Exception;
            ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _);
        }, _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits until every task added so far has completed, or <paramref name="timeout"/> passed; true if all did.</summary>
    public async Task<bool> WhenAllAsync(TimeSpan timeout, TimeProvider time)
    {
        var all = Task.WhenAll(_running.Keys);
        try
        {
            await all.WaitAsync(timeout, time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception)
        {
            // Failures were observed per task; finishing is what counts here.
            return true;
        }
    }
}
