using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sequencer.Host.Tests.Node;

/// <summary>
/// One <c>sequencer start --control stdio</c> process of the published binary: its stdout events collected as JSON,
/// its stderr kept for diagnostics, commands written to its stdin. A launcher (e.g. <c>ip netns exec NS</c>) may run
/// the binary; it must exec it in place, so the process (its id, its signals) is the node's.
/// </summary>
internal sealed class ControlledNode : IAsyncDisposable
{
    /// <summary>A bound on every wait (a guard against a hang, never a measurement).</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly List<string> _otherLines = [];
    private readonly StringBuilder _standardError = new();
    private readonly Task _reading;
    private readonly Task _readingErrors;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private ControlledNode(string label, string configPath, IReadOnlyList<string> launcher, string[] extra)
    {
        Label = label;
        var start = new ProcessStartInfo(launcher.Count == 0 ? NativeBinary.Instance.Path : launcher[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        string[] command = launcher.Count == 0 ? [] : [.. launcher.Skip(1), NativeBinary.Instance.Path];
        foreach (var argument in (string[])[.. command, "start", "--config", configPath, "--control", "stdio", .. extra])
            start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.StandardInput.NewLine = "\n";
        _process.StandardInput.AutoFlush = true;
        _reading = ReadAsync();
        _readingErrors = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
            {
                lock (_standardError)
                    _standardError.Append(buffer, 0, read);
            }
        });
    }

    public string Label { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_events)
                return [.. _events];
        }
    }

    /// <summary>Stdout lines that were not JSON objects (the protocol allows none).</summary>
    public IReadOnlyList<string> OtherLines
    {
        get
        {
            lock (_events)
                return [.. _otherLines];
        }
    }

    public string StandardError
    {
        get
        {
            lock (_standardError)
                return _standardError.ToString();
        }
    }

    public static ControlledNode Start(string label, string configPath, params string[] extra) => new(label, configPath, [], extra);

    /// <param name="launcher">The command line that runs the binary (the binary's path is appended to it).</param>
    public static ControlledNode Start(string label, string configPath, IReadOnlyList<string> launcher, params string[] extra) =>
        new(label, configPath, launcher, extra);

    public IEnumerable<JsonElement> EventsOf(string kind) => Events.Where(e => e.GetProperty("event").GetString() == kind);

    public Task SendAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public Task<JsonElement> WaitForAsync(string kind, Func<JsonElement, bool>? match = null) => WaitForAsync(0, kind, match);

    /// <summary>Waits for a matching event at position <paramref name="from"/> or later (e.g. the answer to a query sent after <see cref="Events"/> had that many).</summary>
    public Task<JsonElement> WaitForAsync(int from, string kind, Func<JsonElement, bool>? match = null) =>
        WaitUntilAsync($"a matching '{kind}' event", events =>
        {
            for (var i = from; i < events.Count; i++)
            {
                if (events[i].GetProperty("event").GetString() == kind && (match?.Invoke(events[i]) ?? true))
                    return events[i];
            }
            return null;
        });

    /// <summary>Waits until the latest event of <paramref name="kind"/> matches (a state such as "connected to all").</summary>
    public Task<JsonElement> WaitForLatestAsync(string kind, Func<JsonElement, bool> match) =>
        WaitUntilAsync($"a latest '{kind}' event that matches", events =>
        {
            for (var i = events.Count - 1; i >= 0; i--)
            {
                if (events[i].GetProperty("event").GetString() == kind)
                    return match(events[i]) ? events[i] : null;
            }
            return null;
        });

    private async Task<JsonElement> WaitUntilAsync(string what, Func<List<JsonElement>, JsonElement?> find)
    {
        using var deadline = new CancellationTokenSource(Guard);
        while (true)
        {
            Task changed;
            lock (_events)
            {
                if (find(_events) is { } found)
                    return found;
                changed = _changed.Task;
            }
            // Every line is read before the output ends: an event that has not come by then never will.
            if (_reading.IsCompleted)
                throw new InvalidOperationException($"{Label}: exited without {what}.\n{Diagnostics()}");
            try
            {
                await Task.WhenAny(changed, _reading).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Label}: no {what} within {Guard}.\n{Diagnostics()}");
            }
        }
    }

    /// <summary>Sends SIGTERM.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Closes stdin (a graceful stop) and returns the exit code.</summary>
    public async Task<int> CloseInputAsync()
    {
        _process.StandardInput.Close();
        return await WaitForExitAsync(Guard);
    }

    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        await _process.WaitForExitAsync().WaitAsync(bound);
        await Task.WhenAll(_reading, _readingErrors).WaitAsync(Guard);
        return _process.ExitCode;
    }

    public string Diagnostics()
    {
        var text = new StringBuilder($"--- {Label} events:\n");
        foreach (var e in Events)
            text.AppendLine(e.GetRawText());
        return text.Append($"--- {Label} stderr:\n").Append(StandardError).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_events)
            {
                try
                {
                    using var document = JsonDocument.Parse(line);
                    if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("event", out _))
                        _events.Add(document.RootElement.Clone());
                    else
                        _otherLines.Add(line);
                }
                catch (JsonException)
                {
                    _otherLines.Add(line);
                }
                var changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed.TrySetResult();
            }
        }
    }
}
