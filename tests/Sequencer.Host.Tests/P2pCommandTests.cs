using System.Text;
using System.Text.Json;

namespace Sequencer.Host.Tests;

/// <summary>
/// <c>sequencer p2p</c> through the published native binary: two processes connect over loopback, exchange GossipSub
/// messages both ways as JSON event lines, and stop cleanly at end of input or on SIGTERM.
/// </summary>
public sealed class P2pCommandTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    // PrivateKey protobufs: Ed25519 seed 0x22 × 32 and secp256k1 scalar 0xe1 × 32 (the interop README's and tests' keys).
    private const string Ed25519Key = "080112402222222222222222222222222222222222222222222222222222222222222222a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0";
    private const string Ed25519PeerId = "12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns";
    private static readonly string Secp256k1Key = "08021220" + string.Concat(Enumerable.Repeat("e1", 32));
    private const string Secp256k1PeerId = "16Uiu2HAmD8MvDPaMJ7CGQBcpJnfhKHoKH1P2qWE9ymEFSgriLoMq";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sequencer-p2p-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("strict", "on")]
    [InlineData("nosign", "off")]
    public async Task TwoNodesExchangeMessagesBothWaysAndStopAtEndOfInput(string sign, string muxerInNoise)
    {
        await using var listener = Start("listener", KeyFile("a", Ed25519Key), "--listen", "/ip4/127.0.0.1/tcp/0", "--topic", "t", "--sign", sign,
            "--muxer-in-noise", muxerInNoise);
        var ready = await listener.WaitForAsync("ready", e => Kind(e) == "ready");
        Assert.Equal(Ed25519PeerId, ready.GetProperty("peerId").GetString());
        var address = ready.GetProperty("addrs")[0].GetString()!;
        Assert.StartsWith("/ip4/127.0.0.1/tcp/", address, StringComparison.Ordinal);
        Assert.EndsWith("/p2p/" + Ed25519PeerId, address, StringComparison.Ordinal);

        await using var dialer = Start("dialer", KeyFile("b", Secp256k1Key), "--dial", address, "--topic", "t", "--sign", sign);
        var connected = await dialer.WaitForAsync("connected", e => Kind(e) == "connected");
        Assert.Equal(Ed25519PeerId, connected.GetProperty("peer").GetString());
        Assert.Equal("outbound", connected.GetProperty("direction").GetString());
        Assert.Equal(muxerInNoise == "on", connected.GetProperty("muxerInNoise").GetBoolean());
        var inbound = await listener.WaitForAsync("connected", e => Kind(e) == "connected");
        Assert.Equal(Secp256k1PeerId, inbound.GetProperty("peer").GetString());
        Assert.Equal("inbound", inbound.GetProperty("direction").GetString());

        var toListener = await DeliverAsync(dialer, listener, "from the dialer");
        var toDialer = await DeliverAsync(listener, dialer, "from the listener ✓");
        Assert.Equal("t", toListener.GetProperty("topic").GetString());
        // Under StrictSign the author; under StrictNoSign (no author on the wire) the peer that forwarded it.
        Assert.Equal(Secp256k1PeerId, toListener.GetProperty("from").GetString());
        Assert.Equal(Ed25519PeerId, toDialer.GetProperty("from").GetString());

        Assert.Equal(0, await dialer.CloseInputAsync());
        await listener.WaitForAsync("disconnected", e => Kind(e) == "disconnected" && e.GetProperty("peer").GetString() == Secp256k1PeerId);
        Assert.Equal(0, await listener.CloseInputAsync());
        Assert.DoesNotContain(listener.Events, e => Kind(e) == "error");
        Assert.DoesNotContain(dialer.Events, e => Kind(e) == "error");
        Assert.Empty(listener.OtherLines);
        Assert.Empty(dialer.OtherLines);
    }

    [Fact]
    public async Task SigtermStopsTheNodeCleanly()
    {
        await using var node = Start("node", KeyFile("a", Ed25519Key), "--listen", "/ip4/127.0.0.1/tcp/0", "--topic", "t");
        await node.WaitForAsync("ready", e => Kind(e) == "ready");
        await node.TerminateAsync();
        Assert.Equal(0, await node.WaitForExitAsync(Guard));
    }

    [Fact]
    public async Task AFailedDialIsReportedAsAnErrorEventAndTheNodeCarriesOn()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var node = Start("node", KeyFile("a", Ed25519Key), "--dial", $"/ip4/127.0.0.1/tcp/{port}/p2p/{Secp256k1PeerId}", "--topic", "t");
        var error = await node.WaitForAsync("error", e => Kind(e) == "error");
        Assert.Contains($"tcp/{port}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await node.CloseInputAsync());
    }

    [Fact]
    public void AnUnusableKeyFileIsRefused()
    {
        var path = KeyFile("bad", "0801");
        var result = NativeBinary.Instance.Run("p2p", "--key", path, "--topic", "t");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --key", result.StandardError, StringComparison.Ordinal);
        var line = JsonDocument.Parse(result.StandardOutput.Trim()).RootElement;
        Assert.Equal("error", Kind(line));
        Assert.Contains("--key", line.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--listen", "/ip4/127.0.0.1/udp/1")]
    [InlineData("--dial", "not-a-multiaddr")]
    public void BadAddressesAreRefused(string option, string value)
    {
        var result = NativeBinary.Instance.Run("p2p", "--key", KeyFile("a", Ed25519Key), option, value, "--topic", "t");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSignPolicyMustBeKnown()
    {
        var result = NativeBinary.Instance.Run("p2p", "--key", KeyFile("a", Ed25519Key), "--topic", "t", "--sign", "maybe");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StandardOutput);
    }

    /// <summary>Publishes probes until one arrives (subscriptions take a moment to be exchanged), then one message; returns its event.</summary>
    private static async Task<JsonElement> DeliverAsync(JsonLineProcess publisher, JsonLineProcess subscriber, string text)
    {
        var deadline = DateTime.UtcNow + Guard;
        for (var probe = 0; ; probe++)
        {
            var probeText = $"probe {probe} {text}";
            await publisher.SendAsync(probeText);
            if (await subscriber.TryWaitForAsync($"message '{probeText}'", e => Carries(e, probeText), TimeSpan.FromMilliseconds(500)) is not null)
                break;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no probe reached the subscriber.\n{publisher.Diagnostics()}\n{subscriber.Diagnostics()}");
        }
        await publisher.SendAsync(text);
        return await subscriber.WaitForAsync($"message '{text}'", e => Carries(e, text));
    }

    private static bool Carries(JsonElement e, string text) =>
        Kind(e) == "message" && string.Equals(e.GetProperty("data").GetString(), Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text)), StringComparison.Ordinal);

    private static string? Kind(JsonElement e) => e.TryGetProperty("event", out var kind) ? kind.GetString() : null;

    private string KeyFile(string name, string protobufHex)
    {
        var path = Path.Combine(_directory.FullName, name + ".key");
        if (!File.Exists(path))
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            file.Write(Convert.FromHexString(protobufHex));
        }
        return path;
    }

    /// <summary>A running <c>sequencer p2p</c>: its event lines as they arrive, stdin for publishing.</summary>
    private static JsonLineProcess Start(string label, string keyFile, params string[] arguments) =>
        new(label, NativeBinary.Instance.Path, ["p2p", "--key", keyFile, .. arguments], Guard);
}
