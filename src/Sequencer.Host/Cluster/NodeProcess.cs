using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Sequencer.Host.Cluster;

/// <summary>
/// One validator as a child process of the same binary (<c>sequencer start --config … --control stdio
/// --trace-signed</c>), driven over the control protocol. Its stdout is read line by line into
/// <see cref="ControlEvent"/>s, its stderr (the node's log) is copied to a file, and commands are written to its stdin.
/// Closing stdin is the node's graceful stop, so even a cluster that dies without cleaning up leaves no node behind.
/// </summary>
/// <remarks>
/// Waiting works on one principle: every event passes <see cref="ObserveAsync"/>'s waiters in arrival order, and a
/// process that exits fails every waiter still open, so no wait on a dead node hangs until its timeout.
/// </remarks>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<Waiter> _waiters = [];
    private readonly Action<NodeProcess, ControlEvent> _onEvent;
    private readonly Action<NodeProcess, string> _onProtocolError;
    private readonly Task _stdout;
    private readonly Task _stderr;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _outputEnded;
    private readonly Stopwatch _sinceStart;
    private bool _stdinClosed;

    private NodeProcess(int index, Process process, FileStream log, Action<NodeProcess, ControlEvent> onEvent, Action<NodeProcess, string> onProtocolError)
    {
        Index = index;
        _sinceStart = Stopwatch.StartNew();
        _process = process;
        _onEvent = onEvent;
        _onProtocolError = onProtocolError;
        ProcessId = process.Id;
        _stderr = CopyLogAsync(process.StandardError.BaseStream, log);
        _stdout = ReadEventsAsync(process.StandardOutput.BaseStream);
    }

    /// <summary>The validator index (= process node number).</summary>
    public int Index { get; }

    public int ProcessId { get; }

    /// <summary>The last <c>ready</c> event, or null before it.</summary>
    public ReadyEvent? Ready { get; private set; }

    /// <summary>Exec to the first <c>ready</c> event (about: measured from just after the process started), or null before it.</summary>
    public TimeSpan? StartUpTime { get; private set; }

    /// <summary>Other validators connected, from the last <c>peers</c> event.</summary>
    public int Connected { get; private set; }

    /// <summary>Whether the process has exited and its stdout is read to the end.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Completes when the process has exited and every line it wrote has been handled.</summary>
    public Task Exited => _exited.Task;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/>; stderr goes to <paramref name="logPath"/> (appended).</summary>
    /// <param name="onEvent">Called for every event, on the reader's thread, before any waiter sees it.</param>
    /// <param name="onProtocolError">Called for a line that breaks the protocol (the line is then ignored).</param>
    public static NodeProcess Start(
        int index, string executable, IEnumerable<string> arguments, string logPath,
        Action<NodeProcess, ControlEvent> onEvent, Action<NodeProcess, string> onProtocolError)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        try
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
            return new NodeProcess(index, process, log, onEvent, onProtocolError);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Writes one command line (already ending in a newline); false when the node can no longer hear it.</summary>
    public bool Send(ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            if (_stdinClosed || HasExited)
                return false;
            try
            {
                var stdin = _process.StandardInput.BaseStream;
                stdin.Write(line);
                stdin.Flush();
                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Completes with the first event from now on that <paramref name="match"/> accepts; fails with
    /// <see cref="NodeExitedException"/> if the process exits first and with <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/>.
    /// </summary>
    public async Task<T> ObserveAsync<T>(Func<T, bool> match, TimeSpan timeout, string waitingFor, CancellationToken cancellation)
        where T : ControlEvent
    {
        var waiter = new Waiter(e => e is T typed && match(typed));
        lock (_gate)
        {
            if (_outputEnded)
                throw new NodeExitedException(Index, waitingFor);
            _waiters.Add(waiter);
        }
        try
        {
            var result = await waiter.Completion.Task.WaitAsync(timeout, cancellation).ConfigureAwait(false);
            return result is T typed ? typed : throw new NodeExitedException(Index, waitingFor);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"node {Index} did not report {waitingFor} within {timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            lock (_gate)
                _waiters.Remove(waiter);
        }
    }

    /// <summary>Closes stdin: the node's graceful stop. Idempotent.</summary>
    public void CloseInput()
    {
        lock (_gate)
        {
            if (_stdinClosed)
                return;
            _stdinClosed = true;
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // A node that already died has a broken pipe: there is nothing left to close.
            }
        }
    }

    /// <summary>SIGKILL: the crash the fault injection wants (no chance to flush or say goodbye).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Likewise: the pid is gone.
        }
    }

    /// <summary>Graceful stop: stdin closed, then SIGKILL if it has not exited after <paramref name="grace"/>.</summary>
    /// <returns>True when it stopped by itself.</returns>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        CloseInput();
        var stopped = await WaitExitAsync(grace).ConfigureAwait(false);
        if (!stopped)
        {
            Kill();
            await WaitExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        return stopped;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task<bool> WaitExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task ReadEventsAsync(Stream stdout)
    {
        var reader = PipeReader.Create(stdout, new StreamPipeReaderOptions(bufferSize: 16 * 1024));
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                while (TryTakeLine(ref buffer, out var line))
                    Handle(line);
                if (read.IsCompleted)
                    break;
                if (buffer.Length > ControlProtocol.MaxLineLength)
                {
                    _onProtocolError(this, $"a line longer than {ControlProtocol.MaxLineLength} bytes; the rest of the output is ignored");
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (IOException)
        {
            // The pipe broke with the process: what was read has been handled.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            await _stderr.ConfigureAwait(false);
            FailWaiters();
            _exited.TrySetResult();
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private void Handle(ReadOnlySequence<byte> line)
    {
        if (line.IsEmpty)
            return;
        ControlEvent controlEvent;
        try
        {
            controlEvent = line.IsSingleSegment ? ControlProtocol.ParseEvent(line.FirstSpan) : ControlProtocol.ParseEvent(line.ToArray());
        }
        catch (ControlProtocolException error)
        {
            _onProtocolError(this, error.Message);
            return;
        }
        switch (controlEvent)
        {
            case ReadyEvent ready:
                Ready = ready;
                StartUpTime ??= _sinceStart.Elapsed;
                break;
            case PeersEvent peers: Connected = peers.Connected; break;
        }
        _onEvent(this, controlEvent);
        Waiter[] waiting;
        lock (_gate)
            waiting = [.. _waiters];
        foreach (var waiter in waiting)
            waiter.Offer(controlEvent);
    }

    private void FailWaiters()
    {
        Waiter[] waiting;
        lock (_gate)
        {
            // Set with the snapshot, under the lock: a waiter added after it sees the flag instead of waiting out its timeout.
            _outputEnded = true;
            waiting = [.. _waiters];
        }
        foreach (var waiter in waiting)
            waiter.Completion.TrySetResult(null);
    }

    private static async Task CopyLogAsync(Stream stderr, FileStream log)
    {
        await using (log.ConfigureAwait(false))
        {
            try
            {
                await stderr.CopyToAsync(log).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The pipe broke with the process; the log holds what it wrote.
            }
        }
    }

    /// <summary>One open <see cref="ObserveAsync"/>: a null result means the process exited.</summary>
    private sealed class Waiter(Func<ControlEvent, bool> match)
    {
        public TaskCompletionSource<ControlEvent?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Offer(ControlEvent controlEvent)
        {
            if (match(controlEvent))
                Completion.TrySetResult(controlEvent);
        }
    }
}
