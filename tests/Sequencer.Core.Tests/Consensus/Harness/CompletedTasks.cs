namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>
/// The result of a task the scheduler has already run to completion. The node's tasks complete from its loop, which
/// the test itself drives, so by the time a test reads a result there is nothing to wait for: this asserts so.
/// </summary>
internal static class CompletedTasks
{
    public static T Completed<T>(this Task<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, $"the task has not completed: {task.Status} {task.Exception?.InnerException}");
        return task.Result;
    }
}
