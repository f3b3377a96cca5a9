using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sequencer.Host.Tests;

/// <summary>
/// A child process that speaks JSON event lines: each stdout line that is a JSON object with an <c>"event"</c> is
/// collected as an event (any other line is kept apart, for tests that say there must be none), stderr is kept for
/// diagnostics, and lines are written to its stdin. Every wait is bounded by <see cref="Guard"/>, a guard against a
/// hang, never a measurement.
/// </summary>
internal sealed class JsonLineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly List<string> _otherLines = [];
    private readonly StringBuilder _standardError = new();
    private readonly Task _reading;
    private readonly Task _readingErrors;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    public JsonLineProcess(string label, string fileName, IEnumerable<string> arguments, TimeSpan guard)
    {
        Label = label;
        Guard = guard;
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
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

    public TimeSpan Guard { get; }

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

    public Task SendAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public Task<JsonElement> WaitForAsync(string what, Func<JsonElement, bool> match) => WaitForAsync(what, 0, match);

    /// <summary>Waits for the first event at position <paramref name="from"/> or later that matches.</summary>
    public Task<JsonElement> WaitForAsync(string what, int from, Func<JsonElement, bool> match) =>
        WaitUntilAsync(what, events => FirstMatch(events, from, match));

    /// <summary>As <see cref="WaitForAsync(string, Func{JsonElement, bool})"/>, but null when none matches within <paramref name="timeout"/>.</summary>
    public Task<JsonElement?> TryWaitForAsync(string what, Func<JsonElement, bool> match, TimeSpan timeout) =>
        TryWaitUntilAsync(what, events => FirstMatch(events, 0, match), timeout);

    /// <summary>
    /// Waits, within <see cref="Guard"/>, until <paramref name="find"/> picks an event out of all events so far (it is
    /// called under the lock, again after every new line); throws if none is found in time or the output ends first.
    /// </summary>
    public async Task<JsonElement> WaitUntilAsync(string what, Func<IReadOnlyList<JsonElement>, JsonElement?> find) =>
        await TryWaitUntilAsync(what, find, Guard) ?? throw new TimeoutException($"{Label}: no {what} within {Guard}.\n{Diagnostics()}");

    private async Task<JsonElement?> TryWaitUntilAsync(string what, Func<IReadOnlyList<JsonElement>, JsonElement?> find, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
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
                return null;
            }
        }
    }

    private static JsonElement? FirstMatch(IReadOnlyList<JsonElement> events, int from, Func<JsonElement, bool> match)
    {
        for (var i = from; i < events.Count; i++)
        {
            if (match(events[i]))
                return events[i];
        }
        return null;
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

    /// <summary>Waits for the exit (within <paramref name="bound"/>) and the end of its output; returns the exit code.</summary>
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
