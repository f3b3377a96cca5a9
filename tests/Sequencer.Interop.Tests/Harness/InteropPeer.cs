namespace Sequencer.Interop.Tests.Harness;

/// <summary>A started node of either implementation, with the identity it was given.</summary>
internal sealed class InteropPeer(PeerProcess process, TestKey key)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    public PeerProcess Process { get; } = process;

    public TestKey Key { get; } = key;

    public string Name => Process.Label;

    /// <summary>
    /// Waits for the ready event, checks it names the peer id the key file gives, and returns an address to dial it by
    /// (its first 127.0.0.1 address, with /p2p/&lt;id&gt; appended when the node lists it without).
    /// </summary>
    public async Task<string> WaitReadyAsync()
    {
        var ready = await Process.WaitForAsync("ready event", e => e.Kind == "ready", StartTimeout);
        if (ready.String("peerId") != Key.PeerId)
            throw new InteropException($"{Name} announced peer id {ready.String("peerId")}, but its key {Key.Name} is {Key.PeerId}.{Process.Diagnostics()}");
        var address = ready.Strings("addrs").FirstOrDefault(a => a.StartsWith("/ip4/127.0.0.1/tcp/", StringComparison.Ordinal));
        if (address is null)
            return string.Empty;
        return address.Contains("/p2p/", StringComparison.Ordinal) ? address : $"{address}/p2p/{Key.PeerId}";
    }

    /// <summary>Waits for the connected event naming <paramref name="remote"/>.</summary>
    public Task<PeerEvent> WaitConnectedAsync(InteropPeer remote) =>
        Process.WaitForAsync($"connected event for {remote.Name} ({remote.Key.PeerId})", e => e.Kind == "connected" && e.String("peer") == remote.Key.PeerId, ConnectTimeout);
}
