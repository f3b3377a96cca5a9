using System.CommandLine;

namespace Sequencer.Host.Cli;

/// <summary>
/// Runs a command's action so that every failure ends the same way an operator's scripts expect: one line
/// <c>error: …</c> on stderr and a non-zero exit code, never a stack trace for a bad input.
/// </summary>
internal static class CommandRunner
{
    public const int Success = 0;
    public const int Failure = 1;

    public static void SetAction(Command command, Func<ParseResult, int> action) =>
        command.SetAction(parseResult => Run(() => action(parseResult)));

    public static void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parseResult, cancellation) =>
        {
            try
            {
                return await action(parseResult, cancellation).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                return Report(error);
            }
        });

    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return Report(error);
        }
    }

    private static int Report(Exception error)
    {
        // A CommandFailedException is an expected refusal and its message says everything; anything else is a bug,
        // so its type is named to make the report actionable.
        var message = error is CommandFailedException or OperationCanceledException
            ? error.Message
            : $"{error.GetType().Name}: {error.Message}";
        Console.Error.WriteLine($"error: {message}");
        return Failure;
    }
}
