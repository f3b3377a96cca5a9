using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Sequencer.Core.Identity;
using Sequencer.Net.Noise;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Tests.Noise;

/// <summary>The secure channel after the handshake: framing, integrity, the nonce counter, closing, flow control.</summary>
public sealed class NoiseSecureChannelTests : IDisposable
{
    private readonly PeerPrivateKey _clientKey = TestIdentities.Ed25519Fixed();
    private readonly PeerPrivateKey _serverKey = TestIdentities.Secp256k1Fixed();
    private readonly NoiseSecurity _client;
    private readonly NoiseSecurity _server;

    public NoiseSecureChannelTests()
    {
        _client = new NoiseSecurity(_clientKey);
        _server = new NoiseSecurity(_serverKey);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _clientKey.Dispose();
        _serverKey.Dispose();
    }

    public static TheoryData<int> BoundarySizes => new()
    {
        0, 1, 15, 16, 17, 1024, 65517, 65518, 65519, 65520, 65535, 65536, 2 * 65518, 2 * 65518 + 1, 200 * 1024,
    };

    [Theory]
    [MemberData(nameof(BoundarySizes))]
    public async Task MessagesAroundTheFrameLimitsRoundTripBothWays(int size)
    {
        await RoundTripAsync(size, seed: size, maxPiece: 7000);
    }

    [Property(MaxTest = 25)]
    public Property MessagesOfAnySizeUpTo200KiBRoundTripThroughArbitrarySegments() =>
        Prop.ForAll(Gen.Choose(0, 200 * 1024).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(),
            Gen.Elements(1, 2, 3, 17, 1000, 65537).ToArbitrary(),
            (size, seed, piece) => RoundTripAsync(size, seed, piece).WaitAsync(PipeTestExtensions.Guard).GetAwaiter().GetResult());

    [Fact]
    public async Task WritesAreCutIntoFramesOfAtMost65535Bytes()
    {
        var (left, right) = PipeFactory.CreateConnectedPair();
        using var peer = new ManualNoisePeer(isInitiator: false, right);
        var dialing = _client.SecureOutboundAsync(left);
        await peer.ReceiveMessageAsync();
        await peer.SendMessageAsync(peer.ValidPayload(_serverKey, "/yamux/1.0.0"));
        await peer.ReceiveMessageAsync();
        peer.Split();
        await using var channel = await dialing.WaitAsync(PipeTestExtensions.Guard);

        var payload = RandomNumberGenerator.GetBytes(3 * 65535);
        await channel.Output.WriteAndFlushAsync(payload);
        var received = new List<byte>();
        while (received.Count < payload.Length)
        {
            var frame = await peer.ReceiveFrameAsync();
            Assert.InRange(frame.Length, CipherState.TagSize + 1, NoiseSecureChannel.MaxFrameSize);
            var plaintext = new byte[frame.Length];
            Assert.Equal(NoiseError.None, peer.Receive!.DecryptWithAd([], frame, plaintext, out var length));
            received.AddRange(plaintext[..length]);
        }
        Assert.Equal(payload, received.ToArray());
    }

    [Fact]
    public async Task AFrameSplitByteByByteIsReassembled()
    {
        var (channel, peer) = await ConnectToManualServerAsync();
        await using var _ = channel;
        using var __ = peer;
        var frame = peer.EncryptFrame("hello, split world"u8.ToArray());
        foreach (var b in frame)
            await peer.SendRawAsync([b]);
        Assert.Equal("hello, split world"u8.ToArray(), await channel.Input.ReadExactlyAsync(18));
    }

    [Fact]
    public async Task ABacklogOfFramesArrivingAtOnceIsDeliveredInFullBeforeTheEnd()
    {
        // 300 KB in one write, then the close: the channel decrypts it in 64 KiB batches, each followed by a flush.
        var (channel, peer) = await ConnectToManualServerAsync();
        using var _ = peer;
        var payload = RandomNumberGenerator.GetBytes(300_000);
        var frames = new List<byte>();
        for (var offset = 0; offset < payload.Length; offset += 60_000)
            frames.AddRange(peer.EncryptFrame(payload[offset..Math.Min(payload.Length, offset + 60_000)]));
        await peer.SendRawAsync(frames.ToArray());
        // Nothing more arrives: the frames left after each batch must be found without waiting for new data.
        Assert.Equal(payload, await channel.Input.ReadExactlyAsync(payload.Length));
        await peer.Wire.Output.CompleteAsync();
        Assert.Empty(await channel.Input.ReadToEndAsync());
    }

    [Fact]
    public async Task EmptyFramesAreAcceptedAndDeliverNothing()
    {
        var (channel, peer) = await ConnectToManualServerAsync();
        await using var _ = channel;
        using var __ = peer;
        await peer.SendRawAsync([.. peer.EncryptFrame([]), .. peer.EncryptFrame([]), .. peer.EncryptFrame([5])]);
        Assert.Equal(new byte[] { 5 }, await channel.Input.ReadExactlyAsync(1));
    }

    [Theory]
    [InlineData(2)]     // first ciphertext byte
    [InlineData(10)]    // in the middle
    [InlineData(22)]    // last tag byte of a 5-byte message
    public async Task AnAlteredFrameEndsTheChannelWithATypedError(int offset)
    {
        var (channel, peer) = await ConnectToManualServerAsync();
        using var _ = peer;
        var frame = peer.EncryptFrame([1, 2, 3, 4, 5]);
        frame[offset] ^= 0x20;
        await peer.SendRawAsync(frame);

        var error = await Assert.ThrowsAsync<NoiseException>(() => channel.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.DecryptionFailed, error.Error);
        var completion = await Assert.ThrowsAsync<NoiseException>(() => channel.Completion.WaitAsync(PipeTestExtensions.Guard));
        Assert.Same(error, completion);
        // The connection was ended with the error (a TCP connection resets), and writing to the channel fails with it.
        var closed = await Assert.ThrowsAsync<NoiseException>(() => peer.Wire.Input.ReadToEndAsync());
        Assert.Equal(NoiseError.DecryptionFailed, closed.Error);
        await Assert.ThrowsAsync<NoiseException>(async () => await channel.Output.WriteAsync(new byte[] { 1 }));
    }

    [Fact]
    public async Task AReplayedFrameIsRefused()
    {
        var (channel, peer) = await ConnectToManualServerAsync();
        using var _ = peer;
        var frame = peer.EncryptFrame([1, 2, 3]);
        await peer.SendRawAsync(frame);
        Assert.Equal(new byte[] { 1, 2, 3 }, await channel.Input.ReadExactlyAsync(3));
        await peer.SendRawAsync(frame);
        var error = await Assert.ThrowsAsync<NoiseException>(() => channel.Input.ReadExactlyAsync(1));
        Assert.Equal(NoiseError.DecryptionFailed, error.Error);
    }

    [Theory]
    [InlineData("0000")]
    [InlineData("000f000102030405060708090a0b0c0d0e")]
    public async Task AFrameTooShortForATagIsRefused(string frameHex)
    {
        var (channel, peer) = await ConnectToManualServerAsync();
        using var _ = peer;
        await peer.SendRawAsync(Convert.FromHexString(frameHex));
        var error = await Assert.ThrowsAsync<NoiseException>(() => channel.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.MessageTooShort, error.Error);
    }

    [Theory]
    [InlineData(1)]      // half a length prefix
    [InlineData(2)]      // a prefix and nothing else
    [InlineData(50)]     // part of the body
    public async Task AConnectionClosedInsideAFrameIsATypedError(int bytesSent)
    {
        var (channel, peer) = await ConnectToManualServerAsync();
        using var _ = peer;
        var frame = peer.EncryptFrame(new byte[100]);
        await peer.SendRawAsync(frame[..bytesSent]);
        await peer.Wire.Output.CompleteAsync();
        var error = await Assert.ThrowsAsync<NoiseException>(() => channel.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.ConnectionClosed, error.Error);
    }

    [Property(MaxTest = 30)]
    public bool GarbageAfterTheHandshakeNeverDecrypts(byte[] garbage)
    {
        var (channel, peer) = ConnectToManualServerAsync().GetAwaiter().GetResult();
        using var _ = peer;
        peer.SendRawAsync([.. garbage, 0xFF, 0xFF]).GetAwaiter().GetResult();
        peer.Wire.Output.Complete();
        try
        {
            while (true)
            {
                var result = channel.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard).GetAwaiter().GetResult();
                if (result.Buffer.Length > 0)
                    return false;
                channel.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    return false;
            }
        }
        catch (NoiseException e)
        {
            return e.Error is NoiseError.DecryptionFailed or NoiseError.MessageTooShort or NoiseError.ConnectionClosed;
        }
    }

    [Fact]
    public async Task TheSendNonceRunningOutEndsTheChannel()
    {
        var (channel, peer) = await ConnectToManualServerAsync();
        using var _ = peer;
        channel.SendCipher.SetNonce(ulong.MaxValue - 1);
        peer.Receive!.SetNonce(ulong.MaxValue - 1);

        await channel.Output.WriteAndFlushAsync([1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, await peer.ReceiveTransportAsync());
        await channel.Output.WriteAsync(new byte[] { 4 });
        var error = await Assert.ThrowsAsync<NoiseException>(() => channel.Completion.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.NonceExhausted, error.Error);
        await Assert.ThrowsAsync<NoiseException>(() => peer.Wire.Input.ReadToEndAsync());
    }

    [Fact]
    public async Task TheReceiveNonceRunningOutEndsTheChannel()
    {
        var (channel, peer) = await ConnectToManualServerAsync();
        using var _ = peer;
        channel.ReceiveCipher.SetNonce(ulong.MaxValue - 1);
        peer.Send!.SetNonce(ulong.MaxValue - 1);
        await peer.SendRawAsync(peer.EncryptFrame([7]));
        Assert.Equal(new byte[] { 7 }, await channel.Input.ReadExactlyAsync(1));
        peer.Send.SetNonce(ulong.MaxValue - 1);
        await peer.SendRawAsync(peer.EncryptFrame([8]));
        var error = await Assert.ThrowsAsync<NoiseException>(() => channel.Input.ReadExactlyAsync(1));
        Assert.Equal(NoiseError.NonceExhausted, error.Error);
    }

    [Fact]
    public async Task CompletingOutputHalfClosesAndTheOtherDirectionGoesOn()
    {
        var (client, server) = await NoiseTestHarness.ConnectAsync(_client, _server);
        await client.Output.WriteAndFlushAsync([1, 2, 3]);
        await client.Output.CompleteAsync();
        Assert.Equal(new byte[] { 1, 2, 3 }, await server.Input.ReadToEndAsync());

        await server.Output.WriteAndFlushAsync([4, 5]);
        Assert.Equal(new byte[] { 4, 5 }, await client.Input.ReadExactlyAsync(2));
        await server.Output.CompleteAsync();
        Assert.Empty(await client.Input.ReadToEndAsync());
        await client.Input.CompleteAsync();
        await server.Input.CompleteAsync();
        await client.Completion.WaitAsync(PipeTestExtensions.Guard);
        await server.Completion.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task ClosingTheChannelWipesBothKeysAndTheCiphersRefuseFurtherUse()
    {
        var (client, server) = await NoiseTestHarness.ConnectAsync(_client, _server);
        await client.Output.WriteAndFlushAsync([1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, await server.Input.ReadExactlyAsync(3));
        Assert.False(client.SendCipher.IsDisposed);
        Assert.False(client.ReceiveCipher.IsDisposed);

        await client.DisposeAsync();
        await server.DisposeAsync();
        foreach (var channel in new[] { client, server })
        {
            Assert.True(channel.SendCipher.IsDisposed);
            Assert.True(channel.ReceiveCipher.IsDisposed);
            var ciphertext = new byte[1 + CipherState.TagSize];
            Assert.Equal(NoiseError.CipherDisposed, channel.SendCipher.EncryptWithAd([], [9], ciphertext, out _));
            Assert.Equal(NoiseError.CipherDisposed, channel.ReceiveCipher.DecryptWithAd([], ciphertext, new byte[1], out _));
        }
    }

    [Fact]
    public async Task APeerThatClosesItsSideWipesOurReceiveKeyWhileWeCanStillSend()
    {
        var (client, server) = await NoiseTestHarness.ConnectAsync(_client, _server);
        await server.Output.CompleteAsync();
        Assert.Empty(await client.Input.ReadToEndAsync());
        await client.Input.CompleteAsync();
        Assert.True(client.ReceiveCipher.IsDisposed);
        Assert.False(client.SendCipher.IsDisposed);

        await client.Output.WriteAndFlushAsync([4, 5]);
        Assert.Equal(new byte[] { 4, 5 }, await server.Input.ReadExactlyAsync(2));
        await client.DisposeAsync();
        await server.DisposeAsync();
        Assert.True(client.SendCipher.IsDisposed);
    }

    [Fact]
    public async Task CompletingInputStopsReadingTheConnectionAtOnce()
    {
        var (left, right) = PipeFactory.CreateConnectedPair();
        var (client, server) = await NoiseTestHarness.ConnectAsync(_client, _server, left, right);
        await client.Input.CompleteAsync();
        await client.Output.CompleteAsync();
        // Nothing more arrives from the server, yet the client's channel finishes and releases the connection.
        await client.Completion.WaitAsync(PipeTestExtensions.Guard);
        var flush = await server.Output.WriteAsync(new byte[] { 1 }).AsTask().WaitAsync(PipeTestExtensions.Guard);
        await server.DisposeAsync();
        Assert.False(flush.IsCanceled);
    }

    [Fact]
    public async Task AReaderThatStopsReadingStopsTheWriter()
    {
        // Each hop pauses at 64 KiB: the writer's flush must block after a bounded amount of data, not buffer it all.
        var (left, right) = PipeFactory.CreateConnectedPair(pauseWriterThreshold: 64 * 1024);
        using var client = new NoiseSecurity(_clientKey, new NoiseOptions { ChannelPauseThreshold = 64 * 1024 });
        using var server = new NoiseSecurity(_serverKey, new NoiseOptions { ChannelPauseThreshold = 64 * 1024 });
        var (writer, reader) = await NoiseTestHarness.ConnectAsync(client, server, left, right);

        var chunk = new byte[16 * 1024];
        long written = 0;
        while (written < 64L * 1024 * 1024)
        {
            chunk.CopyTo(writer.Output.GetMemory(chunk.Length));
            writer.Output.Advance(chunk.Length);
            var flush = writer.Output.FlushAsync().AsTask();
            written += chunk.Length;
            // A flush still pending once the data had time to flow means the writer is held back.
            if (await Task.WhenAny(flush, Task.Delay(TimeSpan.FromMilliseconds(500))) != flush)
                break;
        }
        // Four pipes of at most about 64 KiB each, plus a frame or two in flight and the batch being encrypted.
        Assert.InRange(written, 1, 1024 * 1024);

        // Once the reader reads, everything arrives.
        var drained = 0L;
        while (drained < written)
        {
            var result = await reader.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
            drained += result.Buffer.Length;
            reader.Input.AdvanceTo(result.Buffer.End);
        }
        Assert.Equal(written, drained);
        await writer.DisposeAsync();
        await reader.DisposeAsync();
    }

    [Fact]
    public async Task DisposingSendsWhatWasWrittenThenCloses()
    {
        var (client, server) = await NoiseTestHarness.ConnectAsync(_client, _server);
        var payload = RandomNumberGenerator.GetBytes(300_000);
        await client.Output.WriteAsync(payload);
        var reading = server.Input.ReadToEndAsync();
        await client.DisposeAsync();
        Assert.Equal(payload, await reading);
        await server.DisposeAsync();
        await client.Completion.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task DisposingGivesUpOnAConnectionThatStoppedTakingDataAfterTheCloseTimeout()
    {
        var time = new FakeTimeProvider();
        using var client = new NoiseSecurity(_clientKey, new NoiseOptions { ChannelPauseThreshold = 1 << 20, TimeProvider = time });
        var (left, right) = PipeFactory.CreateConnectedPair(pauseWriterThreshold: 64 * 1024);
        using var peer = new ManualNoisePeer(isInitiator: false, right);
        var dialing = client.SecureOutboundAsync(left);
        await peer.ReceiveMessageAsync();
        await peer.SendMessageAsync(peer.ValidPayload(_serverKey));
        await peer.ReceiveMessageAsync();
        var channel = await dialing.WaitAsync(PipeTestExtensions.Guard);

        // The peer reads nothing more: the encrypt loop's flush of the connection stays pending.
        await channel.Output.WriteAndFlushAsync(new byte[512 * 1024]);
        var disposing = channel.DisposeAsync().AsTask();
        for (var i = 0; i < 100 && !disposing.IsCompleted; i++)
        {
            time.Advance(NoiseOptions.Default.CloseTimeout);
            await Task.WhenAny(disposing, Task.Delay(50));
        }
        await disposing.WaitAsync(PipeTestExtensions.Guard);
        var error = await Assert.ThrowsAsync<NoiseException>(() => channel.Completion.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(NoiseError.ConnectionClosed, error.Error);
        // The connection's output was completed with the error: a transport resets the connection.
        await Assert.ThrowsAsync<NoiseException>(() => right.Input.ReadToEndAsync());
    }

    private async Task<bool> RoundTripAsync(int size, int seed, int maxPiece)
    {
        var (left, right, relaying) = NoiseTestHarness.CreateRelayedPair(seed, maxPiece);
        var (client, server) = await NoiseTestHarness.ConnectAsync(_client, _server, left, right);
        var random = new Random(seed);
        var upstream = new byte[size];
        var downstream = new byte[size];
        random.NextBytes(upstream);
        random.NextBytes(downstream);

        var sending = Task.WhenAll(SendInPiecesAsync(client, upstream, random.Next()), SendInPiecesAsync(server, downstream, random.Next()));
        var receivedByServer = server.Input.ReadToEndAsync();
        var receivedByClient = client.Input.ReadToEndAsync();
        await sending.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(SHA256.HashData(upstream), SHA256.HashData(await receivedByServer));
        Assert.Equal(SHA256.HashData(downstream), SHA256.HashData(await receivedByClient));
        await client.DisposeAsync();
        await server.DisposeAsync();
        await relaying.WaitAsync(PipeTestExtensions.Guard);
        return true;
    }

    /// <summary>Writes <paramref name="data"/> as the application would, in flushed writes of random sizes, then completes.</summary>
    private static async Task SendInPiecesAsync(NoiseSecureChannel channel, byte[] data, int seed)
    {
        var random = new Random(seed);
        var offset = 0;
        while (offset < data.Length)
        {
            var piece = Math.Min(data.Length - offset, random.Next(1, 100_000));
            await channel.Output.WriteAsync(data.AsMemory(offset, piece));
            offset += piece;
        }
        await channel.Output.CompleteAsync();
    }

    private async Task<(NoiseSecureChannel Channel, ManualNoisePeer Peer)> ConnectToManualServerAsync()
    {
        var (left, right) = PipeFactory.CreateConnectedPair();
        var peer = new ManualNoisePeer(isInitiator: false, right);
        var dialing = _client.SecureOutboundAsync(left);
        await peer.ReceiveMessageAsync();
        await peer.SendMessageAsync(peer.ValidPayload(_serverKey, "/yamux/1.0.0"));
        await peer.ReceiveMessageAsync();
        peer.Split();
        return (await dialing.WaitAsync(PipeTestExtensions.Guard), peer);
    }
}
