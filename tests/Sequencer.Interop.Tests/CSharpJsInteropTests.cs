using Sequencer.Interop.Tests.Harness;

namespace Sequencer.Interop.Tests;

/// <summary>
/// The published binary's <c>sequencer p2p</c> against a real js-libp2p node (issue 4, item 10): C# dials js and js
/// dials C#; secp256k1 and Ed25519 identities on each side; GossipSub messages both ways under StrictSign (and
/// StrictNoSign); the muxer agreed inside Noise and by multistream-select; a connection held open 30 s with js's ping
/// monitor satisfied.
/// </summary>
public sealed class CSharpJsInteropTests
{
    private const string CSharp = "C#";
    private const string Js = "js";

    // Each direction meets all four identity pairings, and each muxer path twice. The C# node is expected to list
    // /yamux/1.0.0 in its Noise payload, so the connection inlines the muxer exactly when the js node does too.
    [Theory]
    [InlineData(CSharp, "secp256k1-11", "ed25519-22", true)]
    [InlineData(CSharp, "ed25519-33", "secp256k1-e1", false)]
    [InlineData(CSharp, "secp256k1-e1", "secp256k1-11", false)]
    [InlineData(CSharp, "ed25519-22", "ed25519-33", true)]
    [InlineData(Js, "secp256k1-11", "ed25519-22", false)]
    [InlineData(Js, "ed25519-33", "secp256k1-e1", true)]
    [InlineData(Js, "secp256k1-e1", "secp256k1-11", true)]
    [InlineData(Js, "ed25519-22", "ed25519-33", false)]
    public async Task GossipFlowsBothWaysUnderStrictSign(string dialer, string csharpKey, string jsKey, bool jsMuxerInNoise)
    {
        await using var scope = new PeerScope(SignaturePolicy.StrictSign);
        var pair = await ConnectAsync(scope, dialer, TestKey.ByName(csharpKey), TestKey.ByName(jsKey), jsMuxerInNoise);
        var atJs = dialer == Js ? pair.ConnectedAtDialer : pair.ConnectedAtListener;
        Assert.Equal(jsMuxerInNoise, atJs.Boolean("muxerInNoise"));
        Assert.Equal("/yamux/1.0.0", atJs.String("muxer"));
        Assert.Equal("/noise", atJs.String("encryption"));
        await Gossip.ExchangeBothWaysAsync(scope, pair.Listener, pair.Dialer);
    }

    [Theory]
    [InlineData(CSharp, "ed25519-22", "ed25519-33")]
    [InlineData(Js, "secp256k1-11", "secp256k1-e1")]
    public async Task GossipFlowsBothWaysUnderStrictNoSign(string dialer, string csharpKey, string jsKey)
    {
        await using var scope = new PeerScope(SignaturePolicy.StrictNoSign);
        var pair = await ConnectAsync(scope, dialer, TestKey.ByName(csharpKey), TestKey.ByName(jsKey), jsMuxerInNoise: true);
        await Gossip.ExchangeBothWaysAsync(scope, pair.Listener, pair.Dialer);
    }

    [Fact]
    public async Task ConnectionStaysOpenWithJsPingMonitorSatisfied()
    {
        await using var scope = new PeerScope(SignaturePolicy.StrictSign);
        var pair = await Pair.ConnectAsync(
            scope.StartJs(TestKey.Ed25519A, PeerOptions.Listening(), pingEverySeconds: KeepAlive.PingEverySeconds),
            address => scope.StartSequencer(TestKey.Secp256k1A, PeerOptions.Dialing(address)));
        await KeepAlive.HoldAsync(scope, pair, pair.Listener);
    }

    private static Task<Pair> ConnectAsync(PeerScope scope, string dialer, TestKey csharpKey, TestKey jsKey, bool jsMuxerInNoise) =>
        dialer == CSharp
            ? Pair.ConnectAsync(
                scope.StartJs(jsKey, PeerOptions.Listening(), jsMuxerInNoise),
                address => scope.StartSequencer(csharpKey, PeerOptions.Dialing(address)))
            : Pair.ConnectAsync(
                scope.StartSequencer(csharpKey, PeerOptions.Listening()),
                address => scope.StartJs(jsKey, PeerOptions.Dialing(address), jsMuxerInNoise));
}
