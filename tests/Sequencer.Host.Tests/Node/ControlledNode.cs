using System.Text.Json;

namespace Sequencer.Host.Tests.Node;

/// <summary>
/// One <c>sequencer start --control stdio</c> process of the published binary (a <see cref="JsonLineProcess"/>).
/// A launcher (e.g. <c>ip netns exec NS</c>) may run the binary; it must exec it in place, so the process (its id, its
/// signals) is the node's.
/// </summary>
internal sealed class ControlledNode : IAsyncDisposable
{
    /// <summary>A bound on every wait (a guard against a hang, never a measurement).</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly JsonLineProcess _process;

    private ControlledNode(string label, string configPath, IReadOnlyList<string> launcher, string[] extra)
    {
        string[] command = launcher.Count == 0 ? [] : [.. launcher.Skip(1), NativeBinary.Instance.Path];
        _process = new JsonLineProcess(
            label,
            launcher.Count == 0 ? NativeBinary.Instance.Path : launcher[0],
            [.. command, "start", "--config", configPath, "--control", "stdio", .. extra],
            Guard);
    }

    public string Label => _process.Label;

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<JsonElement> Events => _process.Events;

    /// <summary>Stdout lines that were not JSON objects (the protocol allows none).</summary>
    public IReadOnlyList<string> OtherLines => _process.OtherLines;

    public string StandardError => _process.StandardError;

    public static ControlledNode Start(string label, string configPath, params string[] extra) => new(label, configPath, [], extra);

    /// <param name="launcher">The command line that runs the binary (the binary's path is appended to it).</param>
    public static ControlledNode Start(string label, string configPath, IReadOnlyList<string> launcher, params string[] extra) =>
        new(label, configPath, launcher, extra);

    public IEnumerable<JsonElement> EventsOf(string kind) => Events.Where(e => e.GetProperty("event").GetString() == kind);

    public Task SendAsync(string line) => _process.SendAsync(line);

    public Task<JsonElement> WaitForAsync(string kind, Func<JsonElement, bool>? match = null) => WaitForAsync(0, kind, match);

    /// <summary>Waits for a matching event at position <paramref name="from"/> or later (e.g. the answer to a query sent after <see cref="Events"/> had that many).</summary>
    public Task<JsonElement> WaitForAsync(int from, string kind, Func<JsonElement, bool>? match = null) =>
        _process.WaitForAsync($"a matching '{kind}' event", from,
            e => e.GetProperty("event").GetString() == kind && (match?.Invoke(e) ?? true));

    /// <summary>Waits until the latest event of <paramref name="kind"/> matches (a state such as "connected to all").</summary>
    public Task<JsonElement> WaitForLatestAsync(string kind, Func<JsonElement, bool> match) =>
        _process.WaitUntilAsync($"a latest '{kind}' event that matches", events =>
        {
            for (var i = events.Count - 1; i >= 0; i--)
            {
                if (events[i].GetProperty("event").GetString() == kind)
                    return match(events[i]) ? events[i] : null;
            }
            return null;
        });

    /// <summary>Sends SIGTERM.</summary>
    public Task TerminateAsync() => _process.TerminateAsync();

    /// <summary>Closes stdin (a graceful stop) and returns the exit code.</summary>
    public Task<int> CloseInputAsync() => _process.CloseInputAsync();

    public Task<int> WaitForExitAsync(TimeSpan bound) => _process.WaitForExitAsync(bound);

    public string Diagnostics() => _process.Diagnostics();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
