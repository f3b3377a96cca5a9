using Sequencer.Interop.Tests.Harness;

namespace Sequencer.Interop.Tests;

/// <summary>
/// Two js-libp2p nodes through the harness, with no C# code in the path: proves the committed package set (installs,
/// interoperates, stops cleanly on Node 20) and the harness that the C# interop tests use.
/// </summary>
public sealed class JsToJsTests
{
    [Theory]
    [InlineData("secp256k1-11", "ed25519-22", true)] // the configuration of ../shared/interop/capture.txt
    [InlineData("ed25519-33", "secp256k1-e1", false)]
    public async Task GossipFlowsBothWaysUnderStrictSign(string listenerKey, string dialerKey, bool listenerMuxerInNoise)
    {
        await using var scope = new PeerScope(SignaturePolicy.StrictSign);
        var pair = await Pair.ConnectAsync(
            scope.StartJs(TestKey.ByName(listenerKey), PeerOptions.Listening(), listenerMuxerInNoise),
            address => scope.StartJs(TestKey.ByName(dialerKey), PeerOptions.Dialing(address)));

        // One side leaving the muxer out of its Noise payload is enough for both to fall back to multistream-select.
        Assert.Equal(listenerMuxerInNoise, pair.ConnectedAtListener.Boolean("muxerInNoise"));
        Assert.Equal(listenerMuxerInNoise, pair.ConnectedAtDialer.Boolean("muxerInNoise"));
        Assert.Equal("/yamux/1.0.0", pair.ConnectedAtListener.String("muxer"));
        Assert.Equal("inbound", pair.ConnectedAtListener.String("direction"));
        Assert.Equal("outbound", pair.ConnectedAtDialer.String("direction"));
        await Gossip.ExchangeBothWaysAsync(scope, pair.Listener, pair.Dialer);
    }

    [Fact]
    public async Task GossipFlowsBothWaysUnderStrictNoSign()
    {
        await using var scope = new PeerScope(SignaturePolicy.StrictNoSign);
        var pair = await Pair.ConnectAsync(
            scope.StartJs(TestKey.Ed25519A, PeerOptions.Listening()),
            address => scope.StartJs(TestKey.Ed25519B, PeerOptions.Dialing(address)));
        await Gossip.ExchangeBothWaysAsync(scope, pair.Listener, pair.Dialer);
    }

    [Fact]
    public async Task BothNodesStopCleanlyAtEndOfInput()
    {
        // Without the package set's overrides js-libp2p 2.10 on Node 20 crashes while stopping (Promise.withResolvers).
        await using var scope = new PeerScope(SignaturePolicy.StrictSign);
        var pair = await Pair.ConnectAsync(
            scope.StartJs(TestKey.Secp256k1A, PeerOptions.Listening()),
            address => scope.StartJs(TestKey.Secp256k1B, PeerOptions.Dialing(address)));
        Assert.Equal(0, await pair.Dialer.Process.StopAsync(TimeSpan.FromSeconds(15)));
        await pair.Listener.Process.WaitForAsync("disconnected event", e => e.Kind == "disconnected" && e.String("peer") == pair.Dialer.Key.PeerId, TimeSpan.FromSeconds(15));
        Assert.Equal(0, await pair.Listener.Process.StopAsync(TimeSpan.FromSeconds(15)));
        Gossip.AssertNoErrors(pair.Listener);
        Gossip.AssertNoErrors(pair.Dialer);
    }

    [Fact]
    public async Task ConnectionStaysOpenWithPingsAnswered()
    {
        await using var scope = new PeerScope(SignaturePolicy.StrictSign);
        var pair = await Pair.ConnectAsync(
            scope.StartJs(TestKey.Ed25519A, PeerOptions.Listening(), pingEverySeconds: KeepAlive.PingEverySeconds),
            address => scope.StartJs(TestKey.Secp256k1A, PeerOptions.Dialing(address)));
        await KeepAlive.HoldAsync(scope, pair, pair.Listener);
    }
}
