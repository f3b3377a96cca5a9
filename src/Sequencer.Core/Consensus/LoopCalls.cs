using Sequencer.Core.Consensus.Sequencer;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Consensus;

/// <summary>
/// How the public API's async methods reach the loop: post the work, complete a task from the loop. The tasks handed
/// to callers run their continuations asynchronously, so a caller's <c>await</c> never runs on (or blocks) the node's
/// loop, and the state machines themselves never await anything.
/// </summary>
/// <remarks>
/// A round's own tasks (its outcome, its steps) are internal and complete synchronously on the loop; each caller gets
/// its own task, completed in the same loop turn as the round's (a synchronous continuation copies the result), so a
/// driver that stops its loop the moment a task completes sees the result at once.
/// </remarks>
internal sealed class LoopCalls(NodeRuntime runtime, RoundTable rounds)
{
    /// <summary>Runs <paramref name="work"/> on the loop and completes with its result (or its exception).</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var source = NewCallerSource<T>();
        runtime.Loop.Post(() =>
        {
            if (TryRun(work, source, out var result))
                source.SetResult(result);
        });
        return source.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the loop and completes when the task it returns does, with its result.</summary>
    public Task<T> RunLinked<T>(Func<Task<T>> work)
    {
        var source = NewCallerSource<T>();
        runtime.Loop.Post(() =>
        {
            if (TryRun(work, source, out var inner))
                inner.ContinueWith(static (task, state) => Transfer(task, (TaskCompletionSource<T>)state!), source,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        });
        return source.Task;
    }

    /// <summary>On the loop, finds the round this node sequences and completes as the task <paramref name="select"/> picks from it.</summary>
    /// <exception cref="InvalidOperationException">(in the task) This node does not sequence a live round with that id.</exception>
    public Task<T> ForSequencedRound<T>(RoundId id, Func<SequencerRound, Task<T>> select) =>
        RunLinked(() => rounds.TryGet(id, out var round) && round.Sequencer is { } sequencer
            ? select(sequencer)
            : throw new InvalidOperationException($"this node sequences no live round {id}"));

    /// <summary>A round's own task source: completed on the loop, continuations run synchronously there (only <see cref="RunLinked{T}"/>'s).</summary>
    public static TaskCompletionSource<T> NewRoundSource<T>() => new();

    private static TaskCompletionSource<T> NewCallerSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs caller-facing work; the refusals it documents become the task's exception (anything else is a bug or a simulated crash and propagates).</summary>
    private static bool TryRun<TResult, T>(Func<TResult> work, TaskCompletionSource<T> source, out TResult result)
    {
        try
        {
            result = work();
            return true;
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or Committee.CommitteeException)
        {
            source.SetException(error);
            result = default!;
            return false;
        }
    }

    private static void Transfer<T>(Task<T> from, TaskCompletionSource<T> to)
    {
        if (from.IsCanceled)
            to.TrySetCanceled();
        else if (from.IsFaulted)
            to.TrySetException(from.Exception!.InnerExceptions);
        else
            to.TrySetResult(from.Result);
    }
}
