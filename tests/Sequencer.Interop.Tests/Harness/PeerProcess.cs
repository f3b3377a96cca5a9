using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Sequencer.Interop.Tests.Harness;

/// <summary>
/// A libp2p node running as a child process that speaks the <c>sequencer p2p</c> protocol: JSON event lines on stdout
/// (kept, in order, for the whole run), one published message per stdin line. Every wait has a deadline and a failed
/// wait reports what the node did say (events and the tail of stderr). The child is killed, with its process tree, on
/// dispose and when the test host exits; both node implementations also stop on their own at end of stdin, which
/// covers a test host that dies without running any handler.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private const int StandardErrorTailLength = 4000;

    private static readonly ConcurrentDictionary<PeerProcess, bool> s_running = new();

    private readonly Process _process;
    private readonly List<PeerEvent> _events = [];
    private readonly List<string> _otherOutput = [];
    private readonly StringBuilder _standardError = new();
    private readonly Task _readStandardOutput;
    private readonly Task _readStandardError;
    private TaskCompletionSource _changed = NewSignal();
    private bool _outputEnded;

    static PeerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var peer in s_running.Keys)
                peer.Kill();
        };
    }

    private PeerProcess(string label, Process process)
    {
        Label = label;
        _process = process;
        s_running[this] = true;
        _readStandardOutput = ReadStandardOutputAsync();
        _readStandardError = ReadStandardErrorAsync();
    }

    /// <summary>Who this is in failure messages, e.g. "js listener (ed25519-22)".</summary>
    public string Label { get; }

    public static PeerProcess Start(string label, string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.NewLine = "\n";
        process.StandardInput.AutoFlush = true;
        return new PeerProcess(label, process);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>How many events so far match.</summary>
    public int Count(Func<PeerEvent, bool> match)
    {
        lock (_events)
            return _events.Count(match);
    }

    /// <summary>The first event, printed so far or within <paramref name="timeout"/>, that matches.</summary>
    public async Task<PeerEvent> WaitForAsync(string description, Func<PeerEvent, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_events)
            {
                var found = _events.FirstOrDefault(match);
                if (found is not null)
                    return found;
                if (_outputEnded)
                    throw new InteropException($"{Label} ended its output (exit code {ExitCodeText()}) before {description}.{Diagnostics()}");
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new InteropException($"{Label}: no {description} within {timeout.TotalSeconds:0.#} s.{Diagnostics()}");
            }
        }
    }

    /// <summary>Writes one stdin line, which the node publishes on its topic.</summary>
    public async Task PublishAsync(string line)
    {
        if (line.Contains('\n'))
            throw new ArgumentException("a published line cannot contain a newline", nameof(line));
        try
        {
            await _process.StandardInput.WriteLineAsync(line);
        }
        catch (IOException exception)
        {
            throw new InteropException($"{Label} no longer reads stdin ({exception.Message}).{Diagnostics()}");
        }
    }

    /// <summary>Ends stdin, which asks the node to stop, and returns its exit code (killing it after the timeout).</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone: its exit code says how.
        }
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new InteropException($"{Label} did not stop within {timeout.TotalSeconds:0.#} s of the end of its input.{Diagnostics()}");
        }
        await Task.WhenAll(_readStandardOutput, _readStandardError);
        s_running.TryRemove(this, out _);
        return _process.ExitCode;
    }

    public string Diagnostics()
    {
        var text = new StringBuilder();
        lock (_events)
        {
            text.Append($"\n--- {Label}: {_events.Count} events");
            foreach (var peerEvent in _events.TakeLast(40))
                text.Append("\n  ").Append(peerEvent.Line);
            foreach (var line in _otherOutput.TakeLast(10))
                text.Append("\n  (not an event) ").Append(line);
        }
        lock (_standardError)
            text.Append($"\n--- {Label}: stderr tail\n").Append(_standardError);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await Task.WhenAll(_readStandardOutput, _readStandardError).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Reported by the test that is failing anyway; nothing more can be done with a process that survives SIGKILL.
        }
        s_running.TryRemove(this, out _);
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private string ExitCodeText() => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";

    private async Task ReadStandardOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var peerEvent = PeerEvent.TryParse(line);
            lock (_events)
            {
                if (peerEvent is null)
                    _otherOutput.Add(line);
                else
                    _events.Add(peerEvent);
                Signal();
            }
        }
        await _process.WaitForExitAsync();
        lock (_events)
        {
            _outputEnded = true;
            Signal();
        }
    }

    private async Task ReadStandardErrorAsync()
    {
        var buffer = new char[1024];
        int read;
        while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
        {
            lock (_standardError)
            {
                _standardError.Append(buffer, 0, read);
                if (_standardError.Length > StandardErrorTailLength)
                    _standardError.Remove(0, _standardError.Length - StandardErrorTailLength);
            }
        }
    }

    // Called with _events locked: wakes every waiter, which rescans the events.
    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
