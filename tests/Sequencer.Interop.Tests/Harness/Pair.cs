namespace Sequencer.Interop.Tests.Harness;

/// <summary>Two nodes, one listening and one dialing it, once each has reported the connection to the other.</summary>
internal sealed record Pair(InteropPeer Listener, InteropPeer Dialer, PeerEvent ConnectedAtListener, PeerEvent ConnectedAtDialer)
{
    /// <summary>Waits for the listener to be ready, starts the dialer on its address, waits for both connected events.</summary>
    public static async Task<Pair> ConnectAsync(InteropPeer listener, Func<string, InteropPeer> startDialer)
    {
        var address = await listener.WaitReadyAsync();
        if (address.Length == 0)
            throw new InteropException($"{listener.Name} announced no 127.0.0.1 TCP address.{listener.Process.Diagnostics()}");
        var dialer = startDialer(address);
        await dialer.WaitReadyAsync();
        var atListener = listener.WaitConnectedAsync(dialer);
        var atDialer = dialer.WaitConnectedAsync(listener);
        return new Pair(listener, dialer, await atListener, await atDialer);
    }
}
