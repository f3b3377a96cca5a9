using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Sequencer.Core.Identity;
using Sequencer.Net.Noise;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Tests.Noise;

/// <summary>The libp2p Noise handshake between our initiator and responder, and against peers that misbehave.</summary>
public sealed class NoiseHandshakeTests
{
    public static TheoryData<KeyType, KeyType> IdentityPairs => new()
    {
        { KeyType.Secp256k1, KeyType.Secp256k1 },
        { KeyType.Secp256k1, KeyType.Ed25519 },
        { KeyType.Ed25519, KeyType.Secp256k1 },
        { KeyType.Ed25519, KeyType.Ed25519 },
    };

    [Theory]
    [MemberData(nameof(IdentityPairs))]
    public async Task BothSidesAuthenticateEachOtherWithEitherKeyType(KeyType clientType, KeyType serverType)
    {
        using var clientKey = TestIdentities.Generate(clientType);
        using var serverKey = TestIdentities.Generate(serverType);
        using var client = new NoiseSecurity(clientKey);
        using var server = new NoiseSecurity(serverKey);

        var (clientChannel, serverChannel) = await NoiseTestHarness.ConnectAsync(client, server, serverKey.PublicKey.ToPeerId());
        await using var _ = clientChannel;
        await using var __ = serverChannel;

        Assert.Equal(serverKey.PublicKey.ToPeerId(), clientChannel.RemotePeerId);
        Assert.Equal(clientKey.PublicKey.ToPeerId(), serverChannel.RemotePeerId);
        Assert.Equal(serverKey.PublicKey, clientChannel.RemotePublicKey);
        Assert.True(clientChannel.IsInitiator);
        Assert.False(serverChannel.IsInitiator);
        Assert.Equal(clientChannel.HandshakeHash.ToArray(), serverChannel.HandshakeHash.ToArray());

        await clientChannel.Output.WriteAndFlushAsync("ping"u8.ToArray());
        Assert.Equal("ping"u8.ToArray(), await serverChannel.Input.ReadExactlyAsync(4));
        await serverChannel.Output.WriteAndFlushAsync("pong"u8.ToArray());
        Assert.Equal("pong"u8.ToArray(), await clientChannel.Input.ReadExactlyAsync(4));
    }

    [Fact]
    public async Task EveryHandshakeHasItsOwnHashAndKeys()
    {
        using var clientKey = TestIdentities.Ed25519Fixed();
        using var serverKey = TestIdentities.Secp256k1Fixed();
        using var client = new NoiseSecurity(clientKey);
        using var server = new NoiseSecurity(serverKey);
        var (a1, b1) = await NoiseTestHarness.ConnectAsync(client, server);
        var (a2, b2) = await NoiseTestHarness.ConnectAsync(client, server);
        Assert.NotEqual(a1.HandshakeHash.ToArray(), a2.HandshakeHash.ToArray());
        foreach (var channel in new[] { a1, b1, a2, b2 })
            await channel.DisposeAsync();
    }

    [Fact]
    public async Task BothListingYamuxSkipsMuxerNegotiation()
    {
        using var clientKey = TestIdentities.Ed25519Fixed();
        using var serverKey = TestIdentities.Secp256k1Fixed();
        using var client = new NoiseSecurity(clientKey);
        using var server = new NoiseSecurity(serverKey);
        var (clientChannel, serverChannel) = await NoiseTestHarness.ConnectAsync(client, server);

        Assert.Equal(["/yamux/1.0.0"], clientChannel.RemoteStreamMuxers);
        Assert.Equal(["/yamux/1.0.0"], serverChannel.RemoteStreamMuxers);
        Assert.Equal("/yamux/1.0.0", clientChannel.StreamMuxer);
        Assert.Equal("/yamux/1.0.0", serverChannel.StreamMuxer);
        await clientChannel.DisposeAsync();
        await serverChannel.DisposeAsync();
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task AMissingMuxerListMeansMultistreamSelectInsideTheChannel(bool clientListsYamux, bool serverListsYamux)
    {
        using var clientKey = TestIdentities.Ed25519Fixed();
        using var serverKey = TestIdentities.Secp256k1Fixed();
        using var client = new NoiseSecurity(clientKey, new NoiseOptions { StreamMuxers = clientListsYamux ? ["/yamux/1.0.0"] : [] });
        using var server = new NoiseSecurity(serverKey, new NoiseOptions { StreamMuxers = serverListsYamux ? ["/yamux/1.0.0"] : [] });
        var (clientChannel, serverChannel) = await NoiseTestHarness.ConnectAsync(client, server);

        Assert.Null(clientChannel.StreamMuxer);
        Assert.Null(serverChannel.StreamMuxer);
        Assert.Equal(serverListsYamux ? ["/yamux/1.0.0"] : [], clientChannel.RemoteStreamMuxers);
        Assert.Equal(clientListsYamux ? ["/yamux/1.0.0"] : [], serverChannel.RemoteStreamMuxers);
        await clientChannel.DisposeAsync();
        await serverChannel.DisposeAsync();
    }

    [Fact]
    public async Task TheFirstOfThePeersMuxersThatWeOfferIsChosen()
    {
        using var clientKey = TestIdentities.Ed25519Fixed();
        using var serverKey = TestIdentities.Secp256k1Fixed();
        using var client = new NoiseSecurity(clientKey, new NoiseOptions { StreamMuxers = ["/yamux/1.0.0"] });
        using var server = new NoiseSecurity(serverKey, new NoiseOptions { StreamMuxers = ["/mplex/6.7.0", "/yamux/1.0.0"] });
        var (clientChannel, serverChannel) = await NoiseTestHarness.ConnectAsync(client, server);
        Assert.Equal("/yamux/1.0.0", clientChannel.StreamMuxer);
        Assert.Equal("/yamux/1.0.0", serverChannel.StreamMuxer);
        await clientChannel.DisposeAsync();
        await serverChannel.DisposeAsync();
    }

    [Fact]
    public async Task APeerProvingAnotherIdentityThanTheDialledOneIsRefused()
    {
        using var clientKey = TestIdentities.Ed25519Fixed();
        using var serverKey = TestIdentities.Secp256k1Fixed();
        using var someoneElse = TestIdentities.Generate(KeyType.Ed25519);
        using var client = new NoiseSecurity(clientKey);
        using var server = new NoiseSecurity(serverKey);
        var (left, right) = PipeFactory.CreateConnectedPair();
        var serving = server.SecureInboundAsync(right);

        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(
            () => client.SecureOutboundAsync(left, someoneElse.PublicKey.ToPeerId()).WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.PeerIdMismatch, error.Error);
        Assert.Contains(serverKey.PublicKey.ToPeerId().ToString(), error.Message);
        // The dialler closed the connection instead of sending message 3: the listener fails too.
        await Assert.ThrowsAnyAsync<Exception>(() => serving.WaitAsync(PipeTestExtensions.Guard));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ASignatureOfAnotherStaticKeyIsRefused(bool peerIsInitiator)
    {
        using var ourKey = TestIdentities.Secp256k1Fixed();
        using var peerKey = TestIdentities.Ed25519Fixed();
        using var ours = new NoiseSecurity(ourKey);
        var (left, right) = PipeFactory.CreateConnectedPair();
        using var peer = new ManualNoisePeer(peerIsInitiator, right);
        // A valid signature by the peer's identity, but of a static key that is not the one in this handshake.
        var otherStatic = new byte[32];
        Sequencer.Core.Crypto.Curve25519.X25519.GenerateKeyPair(new byte[32], otherStatic);
        var payload = NoiseSecurity.CreatePayload(peerKey, otherStatic, ["/yamux/1.0.0"]);

        var error = await RunAgainstAsync(ours, left, peer, payload, peerIsInitiator);
        Assert.Equal(NoiseError.InvalidSignature, error.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnIdentityKeyThatDidNotSignIsRefused(bool peerIsInitiator)
    {
        using var ourKey = TestIdentities.Ed25519Fixed();
        using var claimed = TestIdentities.Secp256k1Fixed();
        using var signer = TestIdentities.Generate(KeyType.Secp256k1);
        using var ours = new NoiseSecurity(ourKey);
        var (left, right) = PipeFactory.CreateConnectedPair();
        using var peer = new ManualNoisePeer(peerIsInitiator, right);
        var payload = ReplaceIdentityKey(peer.ValidPayload(signer), claimed.PublicKey);

        var error = await RunAgainstAsync(ours, left, peer, payload, peerIsInitiator);
        Assert.Equal(NoiseError.InvalidSignature, error.Error);
    }

    public static TheoryData<string, NoiseError> BadPayloads => new()
    {
        { "", NoiseError.MalformedPayload },                                     // no identity key, no signature
        { "0a030102031201ff", NoiseError.InvalidIdentityKey },                   // identity_key is not a PublicKey protobuf
        { "0aff", NoiseError.MalformedPayload },                                 // length beyond the end
        { "0a2408011220" + new string('0', 64), NoiseError.MalformedPayload },   // a key, but no signature
        { "0a0a0800120601020304050612020102", NoiseError.InvalidIdentityKey },   // RSA key type: unsupported
        { "ffffffffffffffffffffff01", NoiseError.MalformedPayload },             // over-long varint tag
        { "0a030102030a030102031201ff", NoiseError.MalformedPayload },           // identity_key twice
    };

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public async Task AMalformedPayloadIsRefusedWithATypedError(string payloadHex, NoiseError expected)
    {
        using var ourKey = TestIdentities.Ed25519Fixed();
        using var ours = new NoiseSecurity(ourKey);
        var (left, right) = PipeFactory.CreateConnectedPair();
        using var peer = new ManualNoisePeer(isInitiator: false, right);
        var error = await RunAgainstAsync(ours, left, peer, Convert.FromHexString(payloadHex), peerIsInitiator: false);
        Assert.Equal(expected, error.Error);
    }

    // The listener has an Ed25519 identity: its payload is 120 bytes, so message 2 is 32 + 48 + 120 + 16 = 216 bytes.
    [Theory]
    [InlineData(2 + 32 + 5)]          // inside the encrypted static key of message 2
    [InlineData(2 + 32 + 48 + 3)]     // inside the encrypted payload of message 2
    [InlineData(2 + 216 - 1)]         // the last byte of message 2's payload tag
    [InlineData(2 + 7)]               // the responder's ephemeral key
    public async Task AnAlteredSecondMessageFailsTheInitiator(int offset)
    {
        var error = await HandshakeThroughTamperingRelayAsync(toResponder: false, offset, responderDetects: false);
        Assert.Equal(NoiseError.DecryptionFailed, error.Error);
    }

    [Theory]
    [InlineData(34 + 2 + 5)]          // inside the encrypted static key of message 3
    [InlineData(34 + 2 + 48 + 3)]     // inside the encrypted payload of message 3
    public async Task AnAlteredThirdMessageFailsTheResponder(int offset)
    {
        var error = await HandshakeThroughTamperingRelayAsync(toResponder: true, offset, responderDetects: true);
        Assert.Equal(NoiseError.DecryptionFailed, error.Error);
    }

    [Fact]
    public async Task AnAlteredFirstMessageFailsTheInitiatorAtMessageTwo()
    {
        // The responder cannot tell, but every key it derives from the altered ephemeral key differs from the initiator's.
        var error = await HandshakeThroughTamperingRelayAsync(toResponder: true, offset: 2 + 9, responderDetects: false);
        Assert.Equal(NoiseError.DecryptionFailed, error.Error);
    }

    [Fact]
    public async Task GarbageFromTheDiallerEndsAtTheDeadline()
    {
        var time = new FakeTimeProvider();
        using var key = TestIdentities.Ed25519Fixed();
        using var server = new NoiseSecurity(key, new NoiseOptions { HandshakeTimeout = TimeSpan.FromSeconds(10), TimeProvider = time });
        var (left, right) = PipeFactory.CreateConnectedPair();
        var serving = server.SecureInboundAsync(right);
        // "GE" announces an 18245-byte message that never arrives.
        await left.Output.WriteAndFlushAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        time.Advance(TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(() => serving.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.Timeout, error.Error);
        // The connection was closed with the error.
        var closed = await Assert.ThrowsAsync<NoiseHandshakeException>(() => left.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.Timeout, closed.Error);
    }

    [Fact]
    public async Task ASilentListenerEndsTheDiallerAtTheDeadline()
    {
        var time = new FakeTimeProvider();
        using var key = TestIdentities.Secp256k1Fixed();
        using var client = new NoiseSecurity(key, new NoiseOptions { HandshakeTimeout = TimeSpan.FromSeconds(3), TimeProvider = time });
        var (left, right) = PipeFactory.CreateConnectedPair();
        var dialing = client.SecureOutboundAsync(left);
        Assert.Equal(34, (await right.Input.ReadExactlyAsync(34)).Length);
        time.Advance(TimeSpan.FromSeconds(3));
        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(() => dialing.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.Timeout, error.Error);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotATimeout()
    {
        using var key = TestIdentities.Secp256k1Fixed();
        using var client = new NoiseSecurity(key);
        var (left, _) = PipeFactory.CreateConnectedPair();
        using var cancellation = new CancellationTokenSource();
        var dialing = client.SecureOutboundAsync(left, cancellationToken: cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dialing.WaitAsync(PipeTestExtensions.Guard));
    }

    public static TheoryData<string, NoiseError> BadFirstMessages => new()
    {
        { "0020" + new string('a', 20), NoiseError.ConnectionClosed },     // 10 of 32 bytes, then the dialler closes
        { "00", NoiseError.ConnectionClosed },                             // half a length prefix
        { "000a" + new string('b', 20), NoiseError.MessageTooShort },      // a 10-byte "ephemeral key"
        { "0021" + new string('c', 66), NoiseError.MessageTooLong },       // a payload in message 1
        { "0020" + new string('0', 64), NoiseError.InvalidKeyAgreement },  // the all-zero (low-order) point
    };

    [Theory]
    [MemberData(nameof(BadFirstMessages))]
    public async Task ABadFirstMessageIsRefusedWithATypedError(string bytesHex, NoiseError expected)
    {
        using var key = TestIdentities.Ed25519Fixed();
        using var server = new NoiseSecurity(key);
        var (left, right) = PipeFactory.CreateConnectedPair();
        var serving = server.SecureInboundAsync(right);
        await left.Output.WriteAndFlushAsync(Convert.FromHexString(bytesHex));
        await left.Output.CompleteAsync();
        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(() => serving.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public async Task AnOversizedFirstFrameIsRefusedOnceItHasArrived()
    {
        using var key = TestIdentities.Ed25519Fixed();
        using var server = new NoiseSecurity(key);
        var (left, right) = PipeFactory.CreateConnectedPair();
        var serving = server.SecureInboundAsync(right);
        var frame = new byte[2 + 65535];
        frame[0] = 0xFF;
        frame[1] = 0xFF;
        await left.Output.WriteAndFlushAsync(frame);
        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(() => serving.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.MessageTooLong, error.Error);
    }

    [Property(MaxTest = 40)]
    public bool RandomSecondMessagesNeverAuthenticate(byte[] garbage)
    {
        using var key = TestIdentities.Secp256k1Fixed();
        using var client = new NoiseSecurity(key);
        var (left, right) = PipeFactory.CreateConnectedPair();
        var dialing = client.SecureOutboundAsync(left);
        right.Input.ReadExactlyAsync(34).GetAwaiter().GetResult();
        var body = garbage.Length > 65535 ? garbage[..65535] : garbage;
        right.Output.WriteAndFlushAsync(ManualNoisePeer.Frame(body)).GetAwaiter().GetResult();
        right.Output.Complete();
        try
        {
            dialing.WaitAsync(PipeTestExtensions.Guard).GetAwaiter().GetResult();
            return false;
        }
        catch (NoiseHandshakeException e)
        {
            return e.Error is NoiseError.MessageTooShort or NoiseError.DecryptionFailed or NoiseError.InvalidKeyAgreement;
        }
    }

    /// <summary>Runs our side against a hand-played peer sending <paramref name="payload"/>; returns our side's error.</summary>
    private static async Task<NoiseHandshakeException> RunAgainstAsync(NoiseSecurity ours, System.IO.Pipelines.IDuplexPipe connection,
        ManualNoisePeer peer, byte[] payload, bool peerIsInitiator)
    {
        if (peerIsInitiator)
        {
            var serving = ours.SecureInboundAsync(connection);
            await peer.SendMessageAsync([]);
            await peer.ReceiveMessageAsync();
            await peer.SendMessageAsync(payload);
            return await Assert.ThrowsAsync<NoiseHandshakeException>(() => serving.WaitAsync(PipeTestExtensions.Guard));
        }
        var dialing = ours.SecureOutboundAsync(connection);
        await peer.ReceiveMessageAsync();
        await peer.SendMessageAsync(payload);
        return await Assert.ThrowsAsync<NoiseHandshakeException>(() => dialing.WaitAsync(PipeTestExtensions.Guard));
    }

    /// <summary>A full handshake through a relay that flips one bit at <paramref name="offset"/> of one direction; returns the error of the side that detects it.</summary>
    private static async Task<NoiseHandshakeException> HandshakeThroughTamperingRelayAsync(bool toResponder, int offset, bool responderDetects)
    {
        using var clientKey = TestIdentities.Secp256k1Fixed();
        using var serverKey = TestIdentities.Ed25519Fixed();
        using var client = new NoiseSecurity(clientKey);
        using var server = new NoiseSecurity(serverKey);
        var (left, right, _) = NoiseTestHarness.CreateRelayedPair(seed: offset, maxPiece: 50,
            (position, leftToRight, value) => leftToRight == toResponder && position == offset ? (byte)(value ^ 0x04) : value);
        var serving = server.SecureInboundAsync(right);
        var dialing = client.SecureOutboundAsync(left);
        var detector = responderDetects ? serving : dialing;
        var error = await Assert.ThrowsAsync<NoiseHandshakeException>(() => detector.WaitAsync(PipeTestExtensions.Guard));
        // The other side fails too, as the detecting side closed the connection with the error: during its handshake,
        // or — the initiator, whose handshake ends with message 3 — on its first read from the channel.
        var other = responderDetects ? dialing : serving;
        try
        {
            var channel = await other.WaitAsync(PipeTestExtensions.Guard);
            Assert.False(responderDetects == false, "the responder finished a handshake whose message 2 was altered");
            await Assert.ThrowsAnyAsync<Exception>(() => channel.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard));
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            // Failed during the handshake: what is expected of a responder.
        }
        return error;
    }

    private static byte[] ReplaceIdentityKey(byte[] payloadBytes, PeerPublicKey key)
    {
        Assert.Equal(NoiseError.None, NoiseHandshakePayload.TryRead(payloadBytes, out var original, out _));
        var forged = new NoiseHandshakePayload(key.ToProtobuf(), original.IdentitySignature, original.StreamMuxers);
        var bytes = new byte[forged.GetSize()];
        forged.Write(bytes);
        return bytes;
    }
}
