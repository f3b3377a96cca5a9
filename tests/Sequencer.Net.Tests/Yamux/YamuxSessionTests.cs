using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Tests.Yamux;

/// <summary>Two sessions talking to each other over an in-memory connection.</summary>
public sealed class YamuxSessionTests
{
    [Fact]
    public async Task StreamsCarryDataBothWaysFromEitherSide()
    {
        await using var pair = SessionPair.Start();

        var fromClient = await pair.Client.OpenStreamAsync();
        await fromClient.Output.WriteAsync("ping"u8.ToArray());
        var atServer = await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal("ping"u8.ToArray(), await atServer!.Input.ReadExactlyAsync(4));
        await atServer.Output.WriteAsync("pong"u8.ToArray());
        Assert.Equal("pong"u8.ToArray(), await fromClient.Input.ReadExactlyAsync(4));

        var fromServer = await pair.Server.OpenStreamAsync();
        await fromServer.Output.WriteAsync("hello"u8.ToArray());
        var atClient = await pair.Client.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal((2u, true, false), (atClient!.Id, fromServer.IsOutbound, atClient.IsOutbound));
        Assert.Equal("hello"u8.ToArray(), await atClient.Input.ReadExactlyAsync(5));
    }

    [Fact]
    public async Task ManyConcurrentStreamsInBothDirectionsDeliverEveryByte()
    {
        await using var pair = SessionPair.Start();
        const int streamsPerSide = 40;
        const int bytesPerStream = 200 * 1024;

        var serverEchoes = EchoAcceptedAsync(pair.Server, streamsPerSide);
        var clientEchoes = EchoAcceptedAsync(pair.Client, streamsPerSide);
        var exchanges = Enumerable.Range(0, streamsPerSide)
            .SelectMany(i => new[] { ExchangeAsync(pair.Client, i, bytesPerStream), ExchangeAsync(pair.Server, 1000 + i, bytesPerStream) })
            .ToArray();

        await Task.WhenAll(exchanges).WaitAsync(PipeTestExtensions.Guard * 3);
        await Task.WhenAll(serverEchoes, clientEchoes).WaitAsync(PipeTestExtensions.Guard);
        Assert.False(pair.Client.Completion.IsCompleted);
        Assert.False(pair.Server.Completion.IsCompleted);
    }

    [Fact]
    public async Task TransferFarLargerThanTheWindowArrivesIntact()
    {
        await using var pair = SessionPair.Start();
        var payload = Payload(7, 16 << 20);
        var stream = await pair.Client.OpenStreamAsync();
        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 100_000)
                await stream.Output.WriteAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)));
            await stream.Output.CompleteAsync();
        });

        var received = await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        var hash = await HashToEndAsync(received!.Input);
        await sending.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(SHA256.HashData(payload), hash);
    }

    [Fact]
    public async Task SlowReaderBoundsTheWritersMemoryByTheWindow()
    {
        var options = new YamuxOptions { KeepAliveInterval = Timeout.InfiniteTimeSpan };
        await using var pair = SessionPair.Start(options);
        const int chunk = 16 * 1024;
        const int total = 2 << 20;
        long consumed = 0;
        var stream = await pair.Client.OpenStreamAsync();

        var writing = Task.Run(async () =>
        {
            var data = new byte[chunk];
            long accepted = 0;
            while (accepted < total)
            {
                await stream.Output.WriteAsync(data);
                accepted += chunk;
                // What the writer has handed over beyond what the reader consumed: at most the peer's window, the
                // stream's send buffer and the chunk in hand, however slow the reader is.
                var ahead = accepted - Interlocked.Read(ref consumed);
                Assert.True(ahead <= options.StreamWindowSize + options.StreamSendBufferSize + chunk,
                    $"the writer got {ahead} bytes ahead of the reader");
            }
            await stream.Output.CompleteAsync();
        });

        var reader = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!.Input;
        while (true)
        {
            // A kilobyte per read: the reader is far slower than the writer.
            var result = await reader.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
            Assert.True(result.Buffer.Length <= options.StreamWindowSize, $"{result.Buffer.Length} bytes buffered for the reader");
            var take = Math.Min(1024, result.Buffer.Length);
            Interlocked.Add(ref consumed, take);
            reader.AdvanceTo(result.Buffer.GetPosition(take));
            if (result.IsCompleted && take == result.Buffer.Length)
                break;
        }
        await writing.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(total, Interlocked.Read(ref consumed));
    }

    [Fact]
    public async Task ReaderWaitingForAMessageLargerThanTheWindowKeepsReceiving()
    {
        await using var pair = SessionPair.Start();
        var message = Payload(3, 1 << 20);
        var stream = await pair.Client.OpenStreamAsync();
        var sending = stream.Output.WriteAsync(message).AsTask();

        // Examine everything, consume nothing until the whole message is there (a length-prefixed decoder's pattern).
        var reader = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!.Input;
        while (true)
        {
            var result = await reader.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
            if (result.Buffer.Length >= message.Length)
            {
                Assert.Equal(message, result.Buffer.Slice(0, message.Length).ToArray());
                reader.AdvanceTo(result.Buffer.GetPosition(message.Length));
                break;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
        await sending.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task HalfCloseLetsTheOtherDirectionFinishThenReleasesTheStream()
    {
        await using var pair = SessionPair.Start();
        var client = await pair.Client.OpenStreamAsync();
        await client.Output.WriteAsync("request"u8.ToArray());
        await client.Output.CompleteAsync();

        var server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;
        Assert.Equal("request"u8.ToArray(), await server.Input.ReadToEndAsync());
        await server.Output.WriteAsync("response"u8.ToArray());
        await server.Output.CompleteAsync();
        Assert.Equal("response"u8.ToArray(), await client.Input.ReadToEndAsync());

        Assert.Equal(0, pair.Client.StreamCount);
        Assert.Equal(0, pair.Server.StreamCount);
    }

    [Fact]
    public async Task ResetReachesThePeerInBothDirections()
    {
        await using var pair = SessionPair.Start();
        var client = await pair.Client.OpenStreamAsync();
        await client.Output.WriteAsync(new byte[] { 1 });
        var server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;
        Assert.Equal([1], await server.Input.ReadExactlyAsync(1));

        client.Reset();
        var readError = await Assert.ThrowsAsync<YamuxException>(async () => await server.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(YamuxError.StreamReset, readError.Error);
        var localError = await Assert.ThrowsAsync<YamuxException>(async () => await client.Input.ReadAsync());
        Assert.Equal(YamuxError.StreamReset, localError.Error);
    }

    [Fact]
    public async Task PingsInBothDirections()
    {
        await using var pair = SessionPair.Start();
        Assert.True(await pair.Client.PingAsync().WaitAsync(PipeTestExtensions.Guard) >= TimeSpan.Zero);
        Assert.True(await pair.Server.PingAsync().WaitAsync(PipeTestExtensions.Guard) >= TimeSpan.Zero);
    }

    [Fact]
    public async Task OutboundStreamLimitIsEnforced()
    {
        await using var pair = SessionPair.Start(new YamuxOptions { MaxOutboundStreams = 2, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        var first = await pair.Client.OpenStreamAsync();
        await pair.Client.OpenStreamAsync();
        var error = await Assert.ThrowsAsync<YamuxException>(() => pair.Client.OpenStreamAsync().AsTask());
        Assert.Equal(YamuxError.StreamLimitReached, error.Error);

        // A released stream frees its slot.
        first.Reset();
        await pair.Client.PingAsync().WaitAsync(PipeTestExtensions.Guard);
        await pair.Client.OpenStreamAsync();
    }

    [Fact]
    public async Task ClosingOneSideEndsBothSessionsAndTheirStreams()
    {
        var pair = SessionPair.Start();
        var stream = await pair.Client.OpenStreamAsync();
        await stream.Output.WriteAsync(new byte[] { 9 });
        var server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;
        Assert.Equal([9], await server.Input.ReadExactlyAsync(1));

        await pair.Client.DisposeAsync();
        await pair.Server.Completion.WaitAsync(PipeTestExtensions.Guard);
        await pair.Client.Completion.WaitAsync(PipeTestExtensions.Guard);
        var error = await Assert.ThrowsAsync<YamuxException>(async () => await server.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(YamuxError.SessionClosed, error.Error);
        Assert.Null(await pair.Server.AcceptStreamAsync());
        await pair.DisposeAsync();
    }

    private static async Task EchoAcceptedAsync(YamuxSession session, int count)
    {
        var echoes = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var stream = await session.AcceptStreamAsync();
            Assert.NotNull(stream);
            echoes.Add(Task.Run(async () =>
            {
                // Echo back, reversing nothing: the opener checks the round trip byte for byte.
                await stream.Input.CopyToAsync(stream.Output);
                await stream.Output.CompleteAsync();
                await stream.Input.CompleteAsync();
            }));
        }
        await Task.WhenAll(echoes);
    }

    private static async Task ExchangeAsync(YamuxSession session, int seed, int length)
    {
        var payload = Payload(seed, length);
        var stream = await session.OpenStreamAsync();
        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 7_000)
                await stream.Output.WriteAsync(payload.AsMemory(offset, Math.Min(7_000, payload.Length - offset)));
            await stream.Output.CompleteAsync();
        });
        var echoed = await HashToEndAsync(stream.Input);
        await sending;
        Assert.Equal(SHA256.HashData(payload), echoed);
    }

    private static async Task<byte[]> HashToEndAsync(PipeReader reader)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
                hash.AppendData(segment.Span);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
                break;
        }
        await reader.CompleteAsync();
        return hash.GetHashAndReset();
    }

    private static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed class SessionPair : IAsyncDisposable
    {
        private SessionPair(YamuxSession client, YamuxSession server)
        {
            Client = client;
            Server = server;
        }

        public YamuxSession Client { get; }

        public YamuxSession Server { get; }

        public static SessionPair Start(YamuxOptions? options = null)
        {
            options ??= new YamuxOptions { KeepAliveInterval = Timeout.InfiniteTimeSpan };
            var (left, right) = PipeFactory.CreateConnectedPair();
            return new SessionPair(YamuxSession.Start(left, isInitiator: true, options), YamuxSession.Start(right, isInitiator: false, options));
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
