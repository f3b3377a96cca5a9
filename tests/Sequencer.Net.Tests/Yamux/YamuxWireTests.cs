using System.Text;
using Microsoft.Extensions.Time.Testing;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Tests.Yamux;

/// <summary>The session against hand-written frames: js-libp2p's exact bytes, flow control at the frame level, keep-alive.</summary>
public sealed class YamuxWireTests
{
    // The first DATA js sends on its identify stream: "/multistream/1.0.0\n" + "/ipfs/id/1.0.0\n" (capture.txt).
    private static readonly byte[] IdentifyProposal = Convert.FromHexString("132f6d756c746973747265616d2f312e302e300a0f2f697066732f69642f312e302e300a");

    [Fact]
    public async Task AnswersTheJsSessionOpeningByteForByte()
    {
        await using var peer = RawYamuxPeer.Start(sessionIsInitiator: false);

        // js: PING(SYN, 0) at session start; stream open = WINDOW_UPDATE(SYN, delta 0); then data.
        await peer.SendAsync(Convert.FromHexString("000200010000000000000000"));
        Assert.Equal("000200020000000000000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));

        await peer.SendAsync(Convert.FromHexString("000100010000000100000000"));
        await peer.SendAsync(Convert.FromHexString("000000000000000100000024"));
        await peer.SendAsync(IdentifyProposal);

        var stream = await peer.Session.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        Assert.NotNull(stream);
        Assert.Equal(1u, stream.Id);
        Assert.False(stream.IsOutbound);

        // Accepting acknowledges: WINDOW_UPDATE(ACK) on stream 1 (with any window already read; none yet).
        Assert.Equal("000100020000000100000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));
        Assert.Equal(IdentifyProposal, await stream.Input.ReadExactlyAsync(IdentifyProposal.Length));

        await stream.Output.WriteAsync(IdentifyProposal);
        var data = await peer.ReceiveAsync();
        Assert.Equal("000000000000000100000024", Convert.ToHexStringLower(data.Raw));
        Assert.Equal(IdentifyProposal, data.Payload);

        // Half-close as js does it: WINDOW_UPDATE(FIN), both ways; the stream is then gone on our side.
        await stream.Output.CompleteAsync();
        Assert.Equal("000100040000000100000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));
        await peer.SendAsync(Convert.FromHexString("000100040000000100000000"));
        Assert.Empty(await stream.Input.ReadToEndAsync());
        Assert.Equal(0, peer.Session.StreamCount);
    }

    [Fact]
    public async Task OpensStreamsAsJsDoes()
    {
        await using var peer = RawYamuxPeer.Start(sessionIsInitiator: true);
        var first = await peer.Session.OpenStreamAsync();
        var second = await peer.Session.OpenStreamAsync();
        Assert.Equal((1u, 3u), (first.Id, second.Id));
        Assert.Equal("000100010000000100000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));
        Assert.Equal("000100010000000300000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));

        // Data may follow the SYN before any ACK.
        await first.Output.WriteAsync(IdentifyProposal);
        var data = await peer.ReceiveAsync();
        Assert.Equal((YamuxFrameType.Data, 1u), (data.Header.Type, data.Header.StreamId));
        Assert.Equal(IdentifyProposal, data.Payload);

        // The responder's side of the capture: ACK with a window update, then data, on an odd stream.
        await peer.SendAsync(Convert.FromHexString("000100020000000100000024"));
        await peer.SendDataAsync(1, Encoding.ASCII.GetBytes("reply"));
        Assert.Equal("reply"u8.ToArray(), await first.Input.ReadExactlyAsync(5));
    }

    [Fact]
    public async Task ResponderOpensEvenStreams()
    {
        await using var peer = RawYamuxPeer.Start(sessionIsInitiator: false);
        var stream = await peer.Session.OpenStreamAsync();
        Assert.Equal(2u, stream.Id);
        Assert.Equal("000100010000000200000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));
    }

    [Fact]
    public async Task NeverSendsBeyondThePeersWindow()
    {
        await using var peer = RawYamuxPeer.Start(sessionIsInitiator: true);
        var stream = await peer.Session.OpenStreamAsync();
        Assert.Equal(YamuxFlags.Syn, (await peer.ReceiveHeaderAsync()).Flags);

        var payload = Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 7)).ToArray();
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 16 * 1024)
                await stream.Output.WriteAsync(payload.AsMemory(offset, 16 * 1024));
            await stream.Output.CompleteAsync();
        });

        var received = new List<byte>();
        while (received.Count < YamuxOptions.InitialStreamWindow)
        {
            var frame = await peer.ReceiveAsync();
            Assert.Equal(YamuxFrameType.Data, frame.Header.Type);
            Assert.True(frame.Payload.Length <= 64 * 1024, "frames are split at the session's maximum data frame size");
            received.AddRange(frame.Payload);
        }
        Assert.Equal(YamuxOptions.InitialStreamWindow, received.Count);

        // The window is exhausted: the next data frame carries exactly the 100 bytes granted now.
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.None, 1, 100);
        var next = await peer.ReceiveAsync();
        Assert.Equal((YamuxFrameType.Data, 100), (next.Header.Type, next.Payload.Length));
        received.AddRange(next.Payload);

        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.None, 1, 1 << 20);
        while (true)
        {
            var frame = await peer.ReceiveAsync();
            received.AddRange(frame.Payload);
            if ((frame.Header.Flags & YamuxFlags.Fin) != 0)
                break;
        }
        await writing.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task ReturnsWindowAsTheApplicationReads()
    {
        await using var peer = RawYamuxPeer.Start();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        var stream = await peer.Session.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(YamuxFlags.Ack, (await peer.ReceiveHeaderAsync()).Flags);

        // Fill the whole window without the application reading: legal, and nothing comes back yet.
        var chunk = new byte[64 * 1024];
        for (var i = 0; i < 4; i++)
            await peer.SendDataAsync(1, chunk);
        await peer.SyncAsync();

        // Reading half a window returns exactly that much.
        var read = 0;
        while (read < YamuxOptions.InitialStreamWindow / 2)
        {
            var result = await stream!.Input.ReadAsync();
            var take = (int)Math.Min(result.Buffer.Length, YamuxOptions.InitialStreamWindow / 2 - read);
            stream.Input.AdvanceTo(result.Buffer.GetPosition(take));
            read += take;
        }
        var update = await peer.ReceiveHeaderAsync();
        Assert.Equal((YamuxFrameType.WindowUpdate, 1u, (uint)(YamuxOptions.InitialStreamWindow / 2)), (update.Type, update.StreamId, update.Length));
    }

    [Fact]
    public async Task AbandonedStreamIsReleasedWithReset()
    {
        await using var peer = RawYamuxPeer.Start();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        var stream = await peer.Session.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        await peer.ReceiveHeaderAsync();

        await stream!.Output.WriteAsync("bye"u8.ToArray());
        await stream.Output.CompleteAsync();
        await stream.Input.CompleteAsync();

        var data = await peer.ReceiveAsync();
        Assert.Equal("bye"u8.ToArray(), data.Payload);
        var ends = new List<YamuxFlags> { data.Header.Flags };
        while (!ends.Contains(YamuxFlags.Rst))
            ends.Add((await peer.ReceiveHeaderAsync()).Flags);
        Assert.Contains(YamuxFlags.Fin, ends);
        Assert.Equal(0, peer.Session.StreamCount);
    }

    [Fact]
    public async Task RefusesStreamsBeyondTheInboundLimit()
    {
        await using var peer = RawYamuxPeer.Start(options: new YamuxOptions { MaxInboundStreams = 2, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 3, 0);
        await peer.SendAsync(YamuxFrameType.Data, YamuxFlags.Syn, 5, 3, [1, 2, 3]);
        var refusal = await peer.ReceiveAsync();
        Assert.Equal("000100080000000500000000", Convert.ToHexStringLower(refusal.Raw));

        // The refused stream's late frames are ignored, not a violation.
        await peer.SendDataAsync(5, [4]);
        await peer.SyncAsync();
        Assert.Equal(2, peer.Session.StreamCount);
    }

    [Fact]
    public async Task RefusesStreamsAfterItsGoAway()
    {
        await using var peer = RawYamuxPeer.Start();
        peer.Session.GoAway();
        Assert.Equal("000300000000000000000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        Assert.Equal("000100080000000100000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));
        await Assert.ThrowsAsync<YamuxException>(() => peer.Session.OpenStreamAsync().AsTask());
    }

    [Fact]
    public async Task PeerGoAwayStopsNewStreamsButNotOpenOnes()
    {
        await using var peer = RawYamuxPeer.Start(sessionIsInitiator: true);
        var stream = await peer.Session.OpenStreamAsync();
        await peer.ReceiveHeaderAsync();
        await peer.SendAsync(YamuxFrameType.GoAway, YamuxFlags.None, 0, (uint)YamuxGoAwayCode.Normal);
        await peer.SendDataAsync(1, [42]);
        Assert.Equal([42], await stream.Input.ReadExactlyAsync(1));

        var refused = await Assert.ThrowsAsync<YamuxException>(() => peer.Session.OpenStreamAsync().AsTask());
        Assert.Equal(YamuxError.GoingAway, refused.Error);
        await stream.Output.WriteAsync(new byte[] { 7 });
        Assert.Equal([7], (await peer.ReceiveAsync()).Payload);
        Assert.False(peer.Session.Completion.IsCompleted);
    }

    [Fact]
    public async Task PeerResetFailsBothDirectionsOfTheStream()
    {
        await using var peer = RawYamuxPeer.Start();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        var stream = await peer.Session.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, 1, 0);

        var readError = await Assert.ThrowsAsync<YamuxException>(async () => await stream!.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(YamuxError.StreamReset, readError.Error);
        var writeError = await Assert.ThrowsAsync<YamuxException>(async () => await stream!.Output.WriteAsync(new byte[1]).AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(YamuxError.StreamReset, writeError.Error);
        Assert.Equal(0, peer.Session.StreamCount);
    }

    [Fact]
    public async Task LocalResetSendsRst()
    {
        await using var peer = RawYamuxPeer.Start(sessionIsInitiator: true);
        var stream = await peer.Session.OpenStreamAsync();
        await peer.ReceiveHeaderAsync();
        stream.Reset();
        Assert.Equal("000100080000000100000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));
        var error = await Assert.ThrowsAsync<YamuxException>(async () => await stream.Input.ReadAsync());
        Assert.Equal(YamuxError.StreamReset, error.Error);
        Assert.Equal(0, peer.Session.StreamCount);

        // Frames the peer sent before it saw the RST are dropped quietly.
        await peer.SendDataAsync(1, [1, 2]);
        await peer.SyncAsync();
        Assert.False(peer.Session.Completion.IsCompleted);
    }

    [Fact]
    public async Task WriterFailureResetsTheStream()
    {
        await using var peer = RawYamuxPeer.Start(sessionIsInitiator: true);
        var stream = await peer.Session.OpenStreamAsync();
        await peer.ReceiveHeaderAsync();
        await stream.Output.CompleteAsync(new InvalidOperationException("application failed"));
        Assert.Equal(YamuxFlags.Rst, (await peer.ReceiveHeaderAsync()).Flags);
    }

    [Fact]
    public async Task PingMeasuresTheRoundTrip()
    {
        await using var peer = RawYamuxPeer.Start(sessionIsInitiator: true);
        var ping = peer.Session.PingAsync();
        var request = await peer.ReceiveHeaderAsync();
        Assert.Equal((YamuxFrameType.Ping, YamuxFlags.Syn, 0u), (request.Type, request.Flags, request.StreamId));
        Assert.False(ping.IsCompleted);
        await peer.SendAsync(YamuxFrameType.Ping, YamuxFlags.Ack, 0, request.Length);
        Assert.True(await ping.WaitAsync(PipeTestExtensions.Guard) >= TimeSpan.Zero);
    }

    [Fact]
    public async Task KeepAlivePingsAndEndsTheSessionWhenUnanswered()
    {
        var time = new FakeTimeProvider();
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.FromSeconds(30), TimeProvider = time };
        await using var peer = RawYamuxPeer.Start(options: options);

        time.Advance(TimeSpan.FromSeconds(30));
        var first = await peer.ReceiveHeaderAsync();
        Assert.Equal((YamuxFrameType.Ping, YamuxFlags.Syn), (first.Type, first.Flags));
        await peer.SendAsync(YamuxFrameType.Ping, YamuxFlags.Ack, 0, first.Length);
        await peer.SyncAsync();

        // Answered: the next interval brings the next ping, not the end.
        time.Advance(TimeSpan.FromSeconds(30));
        var second = await peer.ReceiveHeaderAsync();
        Assert.Equal(YamuxFrameType.Ping, second.Type);
        Assert.NotEqual(first.Length, second.Length);
        Assert.False(peer.Session.Completion.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));
        var error = await peer.CompletionErrorAsync();
        Assert.Equal(YamuxError.KeepAliveTimeout, error?.Error);
    }

    [Fact]
    public async Task DisposingSendsGoAwayAndEndsStreams()
    {
        var peer = RawYamuxPeer.Start(sessionIsInitiator: true);
        var stream = await peer.Session.OpenStreamAsync();
        await peer.ReceiveHeaderAsync();
        await peer.Session.DisposeAsync();

        Assert.Equal("000300000000000000000000", Convert.ToHexStringLower((await peer.ReceiveAsync()).Raw));
        Assert.Empty(await peer.Wire.Input.ReadToEndAsync());
        Assert.Null(await peer.CompletionErrorAsync());
        var error = await Assert.ThrowsAsync<YamuxException>(async () => await stream.Input.ReadAsync());
        Assert.Equal(YamuxError.SessionClosed, error.Error);
        Assert.Null(await peer.Session.AcceptStreamAsync());
        await Assert.ThrowsAsync<YamuxException>(() => peer.Session.OpenStreamAsync().AsTask());
        await Assert.ThrowsAsync<YamuxException>(() => peer.Session.PingAsync());
        await peer.DisposeAsync();
    }

    [Fact]
    public async Task PeerClosingTheConnectionEndsTheSessionNormally()
    {
        var peer = RawYamuxPeer.Start();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        var stream = await peer.Session.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        await peer.Wire.Output.CompleteAsync();
        Assert.Null(await peer.CompletionErrorAsync());
        await Assert.ThrowsAsync<YamuxException>(async () => await stream!.Input.ReadAsync());
        await peer.DisposeAsync();
    }
}
