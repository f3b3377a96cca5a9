using Sequencer.Core.Consensus.Sequencer;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Consensus;

/// <summary>
/// How the public API's async methods reach the loop: post the work, complete a task from the loop. The tasks run
/// their continuations asynchronously, so a caller's <c>await</c> never runs on (or blocks) the node's loop, and the
/// state machines themselves never await anything.
/// </summary>
internal sealed class LoopCalls(NodeRuntime runtime, RoundTable rounds)
{
    /// <summary>Runs <paramref name="work"/> on the loop and completes with its result (or its exception).</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.Loop.Post(() =>
        {
            try
            {
                source.SetResult(work());
            }
            catch (Exception error) when (error is ArgumentException or InvalidOperationException or Committee.CommitteeException)
            {
                source.SetException(error);
            }
        });
        return source.Task;
    }

    /// <summary>On the loop, finds the round this node sequences and completes with the task <paramref name="select"/> picks from it.</summary>
    /// <exception cref="InvalidOperationException">(in the task) This node does not sequence a live round with that id.</exception>
    public Task<T> ForSequencedRound<T>(RoundId id, Func<SequencerRound, Task<T>> select) =>
        Run(() => rounds.TryGet(id, out var round) && round.Sequencer is { } sequencer
            ? select(sequencer)
            : throw new InvalidOperationException($"this node sequences no live round {id}")).Unwrap();
}
