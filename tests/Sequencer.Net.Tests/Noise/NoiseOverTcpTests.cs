using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;
using Sequencer.Net.Identify;
using Sequencer.Net.Multistream;
using Sequencer.Net.Noise;
using Sequencer.Net.Ping;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Tests.Noise;

/// <summary>
/// The upgrade as a host performs it, over loopback TCP: multistream-select <c>/noise</c>, the Noise handshake, yamux
/// (started at once when both listed it in the handshake, otherwise negotiated inside the channel), then identify and
/// ping answered on inbound streams — what js-libp2p does to every new connection.
/// </summary>
public sealed class NoiseOverTcpTests
{
    private static readonly string[] s_protocols = [IdentifyProtocol.ProtocolId, PingProtocol.ProtocolId];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UpgradedConnectionsAnswerIdentifyAndPing(bool inlineMuxer)
    {
        using var dialerKey = TestIdentities.Ed25519Fixed();
        using var listenerKey = TestIdentities.Secp256k1Fixed();
        var options = new NoiseOptions { StreamMuxers = inlineMuxer ? [NoiseOptions.YamuxProtocolId] : [] };
        using var dialerNoise = new NoiseSecurity(dialerKey, options);
        using var listenerNoise = new NoiseSecurity(listenerKey, options);

        var transport = new TcpTransport();
        await using var listener = transport.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        var accepting = listener.AcceptAsync().AsTask();
        await using var dialed = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        await using var accepted = (await accepting.WaitAsync(PipeTestExtensions.Guard))!;

        var listenerSide = UpgradeInboundAsync(accepted, listenerNoise);
        var (dialerSession, dialerChannel) = await UpgradeOutboundAsync(dialed, dialerNoise, listenerKey.PublicKey.ToPeerId())
            .WaitAsync(PipeTestExtensions.Guard);
        var (listenerSession, listenerChannel) = await listenerSide.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(inlineMuxer ? NoiseOptions.YamuxProtocolId : null, dialerChannel.StreamMuxer);
        Assert.Equal(dialerKey.PublicKey.ToPeerId(), listenerChannel.RemotePeerId);

        var serving = ServeAsync(listenerSession, listenerKey.PublicKey, listener.LocalAddress, accepted.RemoteAddress);

        var identifyStream = await dialerSession.OpenStreamAsync();
        Assert.Equal(IdentifyProtocol.ProtocolId, await MultistreamSelect.SelectAsync(identifyStream, [IdentifyProtocol.ProtocolId]));
        var identified = await IdentifyProtocol.RequestAsync(identifyStream).WaitAsync(PipeTestExtensions.Guard);
        Assert.True(identified.TryGetPublicKey(out var identifiedKey));
        Assert.Equal(listenerKey.PublicKey.ToPeerId(), identifiedKey!.ToPeerId());
        Assert.Equal([listener.LocalAddress], identified.ListenAddresses);
        Assert.Equal(dialed.LocalAddress, identified.ObservedAddress);
        Assert.Equal(s_protocols, identified.Protocols);
        Assert.StartsWith("jmzk-sequencer/", identified.AgentVersion);

        var pingStream = await dialerSession.OpenStreamAsync();
        Assert.Equal(PingProtocol.ProtocolId, await MultistreamSelect.SelectAsync(pingStream, [PingProtocol.ProtocolId]));
        for (var i = 0; i < 3; i++)
            await PingProtocol.PingAsync(pingStream, TimeSpan.FromSeconds(5)).WaitAsync(PipeTestExtensions.Guard);
        await pingStream.Output.CompleteAsync();
        Assert.Empty(await pingStream.Input.ReadToEndAsync());

        await dialerSession.DisposeAsync();
        await listenerSession.Completion.WaitAsync(PipeTestExtensions.Guard);
        await serving.WaitAsync(PipeTestExtensions.Guard);
        await dialerChannel.Completion.WaitAsync(PipeTestExtensions.Guard);
        await listenerChannel.Completion.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task AFailedHandshakeResetsAndReleasesTheConnection()
    {
        using var dialerKey = TestIdentities.Ed25519Fixed();
        using var listenerKey = TestIdentities.Secp256k1Fixed();
        using var impostor = TestIdentities.Generate(KeyType.Secp256k1);
        using var dialerNoise = new NoiseSecurity(dialerKey);
        using var listenerNoise = new NoiseSecurity(listenerKey);
        var transport = new TcpTransport();
        await using var listener = transport.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        var accepting = listener.AcceptAsync().AsTask();
        var dialed = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        var accepted = (await accepting.WaitAsync(PipeTestExtensions.Guard))!;

        var serving = listenerNoise.SecureInboundAsync(accepted);
        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(
            () => dialerNoise.SecureOutboundAsync(dialed, impostor.PublicKey.ToPeerId()).WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.PeerIdMismatch, error.Error);
        // The dialler reset the connection: the listener's handshake fails with the transport's error, and both
        // sockets are released without anyone disposing them.
        var reset = await Assert.ThrowsAsync<TransportException>(() => serving.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(TransportError.ConnectionReset, reset.Error);
        await dialed.Closed.WaitAsync(PipeTestExtensions.Guard);
        await accepted.Closed.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(0, listener.OpenConnections);
    }

    [Fact]
    public async Task ARefusedDiallerThatKeepsSendingStillHasItsConnectionReleased()
    {
        using var dialerKey = TestIdentities.Ed25519Fixed();
        using var listenerKey = TestIdentities.Secp256k1Fixed();
        using var listenerNoise = new NoiseSecurity(listenerKey);
        var transport = new TcpTransport();
        await using var listener = transport.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        var accepting = listener.AcceptAsync().AsTask();
        await using var dialed = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        var accepted = (await accepting.WaitAsync(PipeTestExtensions.Guard))!;
        var serving = listenerNoise.SecureInboundAsync(accepted);

        // A dialler whose payload signs some other static key, and which streams data right after message 3 (as
        // js-libp2p starts yamux at once): the listener refuses it while more data keeps arriving.
        using var dialer = new ManualNoisePeer(isInitiator: true, dialed);
        var otherStatic = new byte[32];
        Sequencer.Core.Crypto.Curve25519.X25519.GenerateKeyPair(new byte[32], otherStatic);
        await dialer.SendMessageAsync([]);
        await dialer.ReceiveMessageAsync();
        await dialer.SendMessageAsync(NoiseSecurity.CreatePayload(dialerKey, otherStatic, []));
        var sending = Task.Run(async () =>
        {
            var frame = ManualNoisePeer.Frame(new byte[1000]);
            while (!(await dialed.Output.WriteAsync(frame)).IsCompleted)
            {
            }
        });

        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(() => serving.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.InvalidSignature, error.Error);
        await Assert.ThrowsAnyAsync<Exception>(() => sending.WaitAsync(PipeTestExtensions.Guard));
        await accepted.Closed.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(0, listener.OpenConnections);
    }

    private static async Task<(YamuxSession, NoiseSecureChannel)> UpgradeOutboundAsync(TcpConnection connection, NoiseSecurity noise, PeerId expected)
    {
        await MultistreamSelect.SelectAsync(connection, [NoiseSecurity.ProtocolId]);
        var channel = await noise.SecureOutboundAsync(connection, expected);
        if (channel.StreamMuxer is null)
            await MultistreamSelect.SelectAsync(channel, [NoiseOptions.YamuxProtocolId]);
        return (YamuxSession.Start(channel, isInitiator: true, Quiet), channel);
    }

    private static async Task<(YamuxSession, NoiseSecureChannel)> UpgradeInboundAsync(TcpConnection connection, NoiseSecurity noise)
    {
        await MultistreamSelect.ListenAsync(connection, [NoiseSecurity.ProtocolId]);
        var channel = await noise.SecureInboundAsync(connection);
        if (channel.StreamMuxer is null)
            await MultistreamSelect.ListenAsync(channel, [NoiseOptions.YamuxProtocolId]);
        return (YamuxSession.Start(channel, isInitiator: false, Quiet), channel);
    }

    private static YamuxOptions Quiet => new() { KeepAliveInterval = Timeout.InfiniteTimeSpan };

    /// <summary>A host's stream handlers: identify and ping on every inbound stream, until the session ends.</summary>
    private static async Task ServeAsync(YamuxSession session, PeerPublicKey key, Multiaddr listenAddress, Multiaddr observed)
    {
        var handlers = new List<Task>();
        while (await session.AcceptStreamAsync() is { } stream)
        {
            handlers.Add(Task.Run(async () =>
            {
                var protocol = await MultistreamSelect.ListenAsync(stream, s_protocols);
                if (protocol == IdentifyProtocol.ProtocolId)
                    await IdentifyProtocol.RespondAsync(stream, IdentifyMessage.ForLocalPeer(key, [listenAddress], observed, s_protocols));
                else
                    Assert.Equal(3, await PingProtocol.RespondAsync(stream));
            }));
        }
        await Task.WhenAll(handlers);
    }
}
