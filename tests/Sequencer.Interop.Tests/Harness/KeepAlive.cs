namespace Sequencer.Interop.Tests.Harness;

/// <summary>A connection held open long enough for js's connection monitor and yamux keep-alive to act on it.</summary>
internal static class KeepAlive
{
    /// <summary>
    /// The js node's own ping interval for these tests (<c>--ping-every</c>): a /ipfs/ping/1.0.0 ping it prints only
    /// when the 32 bytes come back, whereas js's connection monitor (every 10 s, aborting the connection when nothing
    /// answers within about 5 s) is also satisfied by <c>na</c>.
    /// </summary>
    public const int PingEverySeconds = 5;

    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(32);

    /// <summary>
    /// Holds the pair's connection for 32 s, then checks it is the one connection each side ever had, that neither saw
    /// it close, that the js node's pings were echoed all along, and that messages still flow both ways.
    /// </summary>
    public static async Task HoldAsync(PeerScope scope, Pair pair, InteropPeer jsPeer)
    {
        var remote = jsPeer == pair.Listener ? pair.Dialer : pair.Listener;
        await Task.Delay(Hold);
        foreach (var peer in new[] { pair.Listener, pair.Dialer })
        {
            if (peer.Process.HasExited)
                throw new InteropException($"{peer.Name} exited while the connection was held.{peer.Process.Diagnostics()}");
            var connections = peer.Process.Count(e => e.Kind == "connected");
            var closes = peer.Process.Count(e => e.Kind == "disconnected");
            if (connections != 1 || closes != 0)
                throw new InteropException($"{peer.Name} saw {connections} connections open and {closes} close in {Hold.TotalSeconds} s; one that stays open was expected.{peer.Process.Diagnostics()}");
        }
        var echoed = jsPeer.Process.Count(e => e.Kind == "ping" && e.String("peer") == remote.Key.PeerId);
        var expected = (int)(Hold.TotalSeconds / PingEverySeconds) - 1;
        if (echoed < expected)
            throw new InteropException($"{jsPeer.Name} had {echoed} pings to {remote.Name} echoed in {Hold.TotalSeconds} s, fewer than {expected}.{jsPeer.Process.Diagnostics()}{remote.Process.Diagnostics()}");
        await Gossip.ExchangeBothWaysAsync(scope, pair.Listener, pair.Dialer);
    }
}
