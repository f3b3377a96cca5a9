using System.Buffers;
using System.Threading.Channels;
using Sequencer.Core.Formats;
using Sequencer.Core.Identity;
using Sequencer.Core.Ports;
using Sequencer.Net.Host;
using Sequencer.Net.Streams;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Tests.Host;

/// <summary>The sequencer's direct streams: one request frame, one response frame, deadlines, bounds, typed failures.</summary>
public sealed class RequestResponseTests
{
    private const string Protocol = "/jmzk/sequencer/test/1.0.0";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ARequestIsAnsweredWithTheAuthenticatedSenderKnownToTheHandler()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        PeerId? sender = null;
        b.Host.SetRequestHandler(Protocol, request =>
        {
            sender = request.RemotePeer;
            var reversed = request.Payload.ToArray();
            Array.Reverse(reversed);
            Assert.True(request.TryRespond(reversed));
            Assert.False(request.TryRespond([0]));
        });

        using var response = await a.Host.SendRequestAsync(b.PeerId, Protocol, new byte[] { 1, 2, 3, 4 }, Generous).WithinGuard();
        Assert.Equal([4, 3, 2, 1], response.Payload.ToArray());
        Assert.Equal(b.PeerId, response.Peer);
        Assert.Equal(a.PeerId, sender);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(70_000)]
    public async Task PayloadsOfAnySizeWithinTheBoundsGoThrough(int size)
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        b.Host.SetRequestHandler(Protocol, request => request.TryRespond(request.Payload.Span));
        var payload = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();

        using var response = await a.Host.SendRequestAsync(b.PeerId, Protocol, payload, Generous).WithinGuard();
        Assert.Equal(payload, response.Payload.ToArray());
    }

    [Fact]
    public async Task AHandlerMayAnswerLaterFromAnotherThread()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        var queue = Channel.CreateUnbounded<InboundRequest>();
        b.Host.SetRequestHandler(Protocol, request => queue.Writer.TryWrite(request));
        var answering = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                var request = await queue.Reader.ReadAsync();
                request.TryRespond([(byte)(request.Payload.Span[0] + 1)]);
            }
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await a.Host.SendRequestAsync(b.PeerId, Protocol, new[] { (byte)i }, Generous);
            return response.Payload.Span[0];
        })).WithinGuard();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (byte)i), responses);
        await answering.WithinGuard();
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeoutIsATimeout()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        var pending = new TaskCompletionSource<InboundRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Host.SetRequestHandler(Protocol, request => pending.TrySetResult(request));

        var failed = await Assert.ThrowsAsync<RequestException>(() =>
            a.Host.SendRequestAsync(b.PeerId, Protocol, new byte[] { 1 }, TimeSpan.FromMilliseconds(200)).WithinGuard());
        Assert.Equal(RequestError.Timeout, failed.Error);
        Assert.Equal(RequestFailure.TimedOut, failed.Failure);
        Assert.Equal(b.PeerId, failed.Peer);

        // The responder's late answer goes nowhere and fails nothing.
        var request = await pending.Task.WithinGuard();
        Assert.Equal([1], request.Payload.ToArray());
        request.TryRespond([2]);
        Assert.True(await a.Host.PingAsync(b.PeerId).WithinGuard() > TimeSpan.Zero);
    }

    [Fact]
    public async Task ARequestLeftUnansweredPastTheInboundDeadlineIsResetAndCannotBeAnsweredAnyMore()
    {
        var options = TestHost.DefaultOptions with { Requests = new RequestOptions { InboundTimeout = TimeSpan.FromMilliseconds(200) } };
        await using var pair = await HostStreamTests.ConnectedPairAsync(options);
        var (a, b) = pair;
        var pending = new TaskCompletionSource<InboundRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Host.SetRequestHandler(Protocol, request => pending.TrySetResult(request));

        var failed = await Assert.ThrowsAsync<RequestException>(() => a.Host.SendRequestAsync(b.PeerId, Protocol, new byte[] { 1 }, Generous).WithinGuard());
        Assert.Equal(RequestError.Refused, failed.Error);
        Assert.Equal(RequestFailure.Refused, failed.Failure);
        Assert.False((await pending.Task.WithinGuard()).TryRespond([2]));
    }

    [Fact]
    public async Task ARefusalOrAFailingHandlerIsRefused()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        b.Host.SetRequestHandler(Protocol, request => Assert.True(request.Refuse()));
        b.Host.SetRequestHandler("/jmzk/sequencer/broken/1.0.0", _ => throw new InvalidOperationException("handler bug"));

        var refused = await Assert.ThrowsAsync<RequestException>(() => a.Host.SendRequestAsync(b.PeerId, Protocol, new byte[] { 1 }, Generous).WithinGuard());
        Assert.Equal(RequestError.Refused, refused.Error);
        var broken = await Assert.ThrowsAsync<RequestException>(() =>
            a.Host.SendRequestAsync(b.PeerId, "/jmzk/sequencer/broken/1.0.0", new byte[] { 1 }, Generous).WithinGuard());
        Assert.Equal(RequestError.Refused, broken.Error);
    }

    [Fact]
    public async Task AnUnknownProtocolIsNotSupported()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        var failed = await Assert.ThrowsAsync<RequestException>(() => a.Host.SendRequestAsync(b.PeerId, Protocol, new byte[] { 1 }, Generous).WithinGuard());
        Assert.Equal(RequestError.ProtocolNotSupported, failed.Error);
        Assert.Equal(RequestFailure.Refused, failed.Failure);
    }

    [Fact]
    public async Task APeerWithoutAddressOrNotListeningIsUnreachable()
    {
        await using var requester = TestHost.Start();
        using var stranger = PeerPrivateKey.Generate(KeyType.Secp256k1);
        var noAddress = await Assert.ThrowsAsync<RequestException>(() =>
            requester.Host.SendRequestAsync(stranger.PublicKey.ToPeerId(), Protocol, new byte[] { 1 }, Generous).WithinGuard());
        Assert.Equal(RequestError.Unreachable, noAddress.Error);
        Assert.Equal(RequestFailure.Unreachable, noAddress.Failure);

        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        requester.Host.Peers.AddAddresses(stranger.PublicKey.ToPeerId(), [Net.Addressing.Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}")]);
        var closed = await Assert.ThrowsAsync<RequestException>(() =>
            requester.Host.SendRequestAsync(stranger.PublicKey.ToPeerId(), Protocol, new byte[] { 1 }, Generous).WithinGuard());
        Assert.Equal(RequestError.Unreachable, closed.Error);
    }

    [Fact]
    public async Task ARequestConnectsThroughTheStoredAddress()
    {
        await using var responder = TestHost.Start(KeyType.Secp256k1);
        await using var requester = TestHost.Start();
        responder.Host.SetRequestHandler(Protocol, request => request.TryRespond("ok"u8));
        requester.Host.Peers.AddAddresses(responder.PeerId, [responder.Address]);

        using var response = await requester.Host.SendRequestAsync(responder.PeerId, Protocol, new byte[] { 1 }, Generous).WithinGuard();
        Assert.Equal("ok"u8.ToArray(), response.Payload.ToArray());
    }

    [Fact]
    public async Task SizesAreBoundedOnBothSides()
    {
        var small = TestHost.DefaultOptions with { Requests = new RequestOptions { MaxRequestSize = 100, MaxResponseSize = 100 } };
        await using var requester = TestHost.Start(options: small);
        await using var responder = TestHost.Start(options: TestHost.DefaultOptions with { Requests = new RequestOptions { MaxRequestSize = 10 } });
        responder.Host.SetRequestHandler(Protocol, request => request.TryRespond(new byte[1000]));
        await requester.Host.DialAsync(responder.Address).WithinGuard();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => requester.Host.SendRequestAsync(responder.PeerId, Protocol, new byte[101], Generous));
        var tooLargeForResponder = await Assert.ThrowsAsync<RequestException>(() =>
            requester.Host.SendRequestAsync(responder.PeerId, Protocol, new byte[50], Generous).WithinGuard());
        Assert.Equal(RequestError.Refused, tooLargeForResponder.Error);
        var tooLargeResponse = await Assert.ThrowsAsync<RequestException>(() =>
            requester.Host.SendRequestAsync(responder.PeerId, Protocol, new byte[5], Generous).WithinGuard());
        Assert.Equal(RequestError.ResponseTooLarge, tooLargeResponse.Error);
        Assert.Equal(RequestFailure.MalformedResponse, tooLargeResponse.Failure);
    }

    [Fact]
    public async Task MalformedOrMissingResponsesAreTyped()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        // Each reads the whole request first, as a responder does, then answers wrongly.
        static StreamHandler Answering(byte[] answer) => async (stream, _) =>
        {
            await stream.Input.ReadToEndAsync();
            await stream.Output.WriteAsync(answer);
            await stream.Output.CompleteAsync();
        };
        b.Host.SetStreamHandler("/jmzk/sequencer/silent/1.0.0", Answering([]));
        b.Host.SetStreamHandler("/jmzk/sequencer/truncated/1.0.0", Answering([10, 1, 2]));
        b.Host.SetStreamHandler("/jmzk/sequencer/overlong/1.0.0", Answering([0x80, 0x00]));

        async Task<RequestError> ErrorOf(string protocol) =>
            (await Assert.ThrowsAsync<RequestException>(() => a.Host.SendRequestAsync(b.PeerId, protocol, new byte[] { 1 }, Generous).WithinGuard())).Error;
        Assert.Equal(RequestError.Refused, await ErrorOf("/jmzk/sequencer/silent/1.0.0"));
        Assert.Equal(RequestError.MalformedResponse, await ErrorOf("/jmzk/sequencer/truncated/1.0.0"));
        Assert.Equal(RequestError.MalformedResponse, await ErrorOf("/jmzk/sequencer/overlong/1.0.0"));
    }

    [Fact]
    public async Task ARequesterSendingAnOversizedOrTruncatedFrameGetsAReset()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync(TestHost.DefaultOptions with
        {
            Requests = new RequestOptions { MaxRequestSize = 16 },
        });
        var (a, b) = pair;
        var handled = 0;
        b.Host.SetRequestHandler(Protocol, request =>
        {
            Interlocked.Increment(ref handled);
            request.TryRespond([]);
        });

        foreach (var frame in new[] { Frame(new byte[17]), new byte[] { 5, 1, 2 }, new byte[] { 0x80, 0x00 } })
        {
            var stream = await a.Host.OpenStreamAsync(b.PeerId, [Protocol]).WithinGuard();
            await stream.Output.WriteAsync(frame);
            await stream.Output.CompleteAsync();
            var reset = await Assert.ThrowsAsync<YamuxException>(() => stream.Input.ReadToEndAsync());
            Assert.Equal(YamuxError.StreamReset, reset.Error);
        }
        Assert.Equal(0, Volatile.Read(ref handled));
    }

    private static byte[] Frame(byte[] payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        UnsignedVarint.Write((ulong)payload.Length, writer);
        writer.Write(payload);
        return writer.WrittenSpan.ToArray();
    }
}
