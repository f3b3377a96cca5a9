using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Sequencer.Core.Consensus;
using Sequencer.Host.Cli;
using Sequencer.Host.Configuration;
using Sequencer.Host.Logging;
using Sequencer.Host.Node;

namespace Sequencer.Host.Commands;

/// <summary>
/// <c>sequencer start --config FILE [--set key=value]… [--control stdio] [--trace-signed] [--byzantine equivocate]</c>:
/// runs one validator (<see cref="ValidatorNode"/>) until SIGTERM, Ctrl-C, or — with <c>--control stdio</c> — a
/// <c>stop</c> command or the end of stdin. Logs go to stderr; with <c>--control stdio</c> stdout carries only the
/// control protocol's events (NODE §2) and stdin its commands. A clean stop exits 0 (the last control line is
/// <c>stopped</c>); a configuration or start-up problem exits 1 with one <c>error: …</c> line on stderr.
/// </summary>
internal static class StartCommand
{
    /// <summary>The bound on a graceful stop; the node's own steps are bounded tighter, this catches anything else.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(4.5);

    /// <summary>A control line longer than this is refused (an <c>error</c> event) and skipped up to its newline.</summary>
    public const int MaxControlLineLength = 4096;

    public static Command Create()
    {
        var configuration = new ConfigurationOptions();
        var control = new Option<string>("--control") { Description = "Control protocol: 'stdio' reads commands from stdin and writes events to stdout (one JSON object per line)" };
        control.AcceptOnlyFromAmong("stdio");
        var traceSigned = new Option<bool>("--trace-signed") { Description = "With --control stdio: a 'signed' event for every vote and attestation this node signs or verifies" };
        var byzantine = new Option<string>("--byzantine") { Description = "TEST NETWORKS ONLY: misbehave on purpose. 'equivocate' signs an accept and a reject vote for every proposal" };
        byzantine.AcceptOnlyFromAmong("equivocate");
        var command = new Command("start", "Run a validator node (sequencer when it proposes, buddy when invited, voter always)")
        {
            control, traceSigned, byzantine,
        };
        configuration.AddTo(command);
        CommandRunner.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            configuration.Load(parseResult),
            parseResult.GetValue(control) == "stdio",
            new ValidatorNodeOptions
            {
                TraceSigned = parseResult.GetValue(traceSigned),
                Byzantine = parseResult.GetValue(byzantine) == "equivocate" ? ByzantineBehaviour.Equivocate : ByzantineBehaviour.None,
            },
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(NodeConfiguration configuration, bool stdio, ValidatorNodeOptions options, CancellationToken invocationToken)
    {
        var logger = Logger.ToStandardError(configuration.LogFormat, configuration.LogLevel);
        var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Taking the signals here (context.Cancel) keeps the runtime from ending the process before the node stops.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult("signal");
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.TrySetResult("signal");
        });
        using var invocation = invocationToken.Register(() => stop.TrySetResult("signal"));
        using var control = stdio ? new ControlWriter(Console.OpenStandardOutput()) : null;
        if (options.Byzantine != ByzantineBehaviour.None)
            logger.Warn("BYZANTINE MODE: this node misbehaves on purpose (test networks only)");

        ValidatorNode node;
        try
        {
            node = await ValidatorNode.StartAsync(configuration, options with { Listener = control }, logger, invocationToken).ConfigureAwait(false);
        }
        catch (ValidatorNodeException error)
        {
            throw new CommandFailedException(error.Message, error);
        }

        string reason;
        try
        {
            control?.Ready(node, Environment.ProcessId);
            if (stdio)
                _ = ReadCommandsAsync(node, control!, stop);
            reason = await stop.Task.ConfigureAwait(false);
            logger.At(LogLevel.Info, "stopping").Field("reason", reason).Write();
        }
        finally
        {
            try
            {
                await node.DisposeAsync().AsTask().WaitAsync(StopTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                logger.Warn("the node did not stop within its bound; exiting anyway (durable state was written before it counted)");
            }
        }
        control?.Stopped(reason);
        return CommandRunner.Success;
    }

    /// <summary>Reads control lines until end of input (which stops the node) or a stop; commands run concurrently, each answering for itself.</summary>
    private static async Task ReadCommandsAsync(ValidatorNode node, ControlWriter control, TaskCompletionSource<string> stop)
    {
        var input = PipeReader.Create(Console.OpenStandardInput(), new StreamPipeReaderOptions(bufferSize: 16 * 1024));
        var skipping = false;
        try
        {
            while (!stop.Task.IsCompleted)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var end = buffer.PositionOf((byte)'\n');
                    if (end is null)
                        break;
                    var line = buffer.Slice(0, end.Value);
                    buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
                    if (skipping)
                        skipping = false;
                    else
                        Dispatch(node, control, stop, line);
                }
                if (buffer.Length > MaxControlLineLength && !skipping)
                {
                    control.Error($"a control line is at most {MaxControlLineLength} bytes; skipped to its end");
                    skipping = true;
                }
                if (skipping)
                    buffer = buffer.Slice(buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty && !skipping)
                        Dispatch(node, control, stop, buffer);
                    input.AdvanceTo(buffer.End);
                    stop.TrySetResult("stdin closed");
                    return;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            stop.TrySetResult("stdin closed");
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static void Dispatch(ValidatorNode node, ControlWriter control, TaskCompletionSource<string> stop, ReadOnlySequence<byte> line)
    {
        if (IsBlank(line))
            return;
        if (!ControlCommand.TryParse(line, out var command, out var error))
        {
            control.Error(error);
            return;
        }
        switch (command.Kind)
        {
            case ControlCommandKind.Propose:
                _ = ProposeAsync(node, control, command);
                break;
            case ControlCommandKind.Decision:
                _ = AnswerDecisionAsync(node, control, command.Height);
                break;
            case ControlCommandKind.Stop:
                stop.TrySetResult("stop command");
                break;
        }
    }

    private static async Task ProposeAsync(ValidatorNode node, ControlWriter control, ControlCommand command)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcome = await node.ProposeAsync(command.Height, command.Parent, command.Block).ConfigureAwait(false);
            control.Outcome(command.Height, command.Block, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            control.Error($"propose height {command.Height}: the round was abandoned (the node is stopping)");
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            control.Error($"propose height {command.Height}: {error.Message}");
        }
    }

    private static async Task AnswerDecisionAsync(ValidatorNode node, ControlWriter control, ulong height)
    {
        try
        {
            control.Answer(await node.QueryDecisionAsync(height).ConfigureAwait(false));
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            control.Error($"decision height {height}: {error.Message}");
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                    return false;
            }
        }
        return true;
    }
}
