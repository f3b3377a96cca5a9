using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Sequencer.Net.Addressing;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Tests.Transport;

public sealed class TcpTransportTests
{
    private static readonly Multiaddr AnyLoopbackPort = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");

    [Fact]
    public async Task DialAndAcceptExchangeDataBothWays()
    {
        var transport = new TcpTransport();
        await using var listener = transport.Listen(AnyLoopbackPort);
        Assert.True(listener.LocalAddress.TryGetIPEndPoint(out var bound));
        Assert.NotEqual(0, bound.Port);

        await using var client = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        await using var server = (await listener.AcceptAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;
        Assert.Equal((false, true), (client.IsInbound, server.IsInbound));
        Assert.Equal(listener.LocalAddress, client.RemoteAddress);
        Assert.Equal(client.LocalAddress, server.RemoteAddress);

        await client.Output.WriteAndFlushAsync("hello"u8.ToArray());
        Assert.Equal("hello"u8.ToArray(), await server.Input.ReadExactlyAsync(5));
        await server.Output.WriteAndFlushAsync("world"u8.ToArray());
        Assert.Equal("world"u8.ToArray(), await client.Input.ReadExactlyAsync(5));
        Assert.Equal(1, listener.OpenConnections);
    }

    [Fact]
    public async Task DialIgnoresTheTrailingPeerIdAndResolvesNames()
    {
        var transport = new TcpTransport();
        await using var listener = transport.Listen(AnyLoopbackPort);
        listener.LocalAddress.TryGetIPEndPoint(out var bound);
        var named = Multiaddr.Parse($"/dns4/localhost/tcp/{bound!.Port}/p2p/12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns");
        await using var client = await transport.DialAsync(named).AsTask().WaitAsync(PipeTestExtensions.Guard);
        await using var server = (await listener.AcceptAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;
        Assert.Equal(listener.LocalAddress, client.RemoteAddress);
    }

    [Fact]
    public async Task HalfCloseDeliversEverythingThenEndOfStream()
    {
        var transport = new TcpTransport();
        await using var listener = transport.Listen(AnyLoopbackPort);
        var client = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        var server = (await listener.AcceptAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;

        var request = RandomNumberGenerator.GetBytes(3 << 20);
        var sending = Task.Run(async () =>
        {
            await client.Output.WriteAsync(request);
            await client.Output.CompleteAsync();
        });
        Assert.Equal(SHA256.HashData(request), SHA256.HashData(await server.Input.ReadToEndAsync()));
        await sending.WaitAsync(PipeTestExtensions.Guard);

        // The other direction is still open after the client's FIN.
        await server.Output.WriteAndFlushAsync("done"u8.ToArray());
        await server.Output.CompleteAsync();
        Assert.Equal("done"u8.ToArray(), await client.Input.ReadToEndAsync());

        await client.DisposeAsync();
        await server.DisposeAsync();
        await Task.WhenAll(client.Closed, server.Closed).WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(0, listener.OpenConnections);
    }

    [Fact]
    public async Task SlowReaderBoundsWhatTheConnectionBuffers()
    {
        var options = new TcpTransportOptions { InputPauseThreshold = 64 * 1024, InputResumeThreshold = 32 * 1024, ReceiveBufferSize = 4096 };
        var transport = new TcpTransport(options);
        await using var listener = transport.Listen(AnyLoopbackPort);
        await using var client = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        await using var server = (await listener.AcceptAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;

        var payload = RandomNumberGenerator.GetBytes(8 << 20);
        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 64 * 1024)
                await client.Output.WriteAsync(payload.AsMemory(offset, 64 * 1024));
            await client.Output.CompleteAsync();
        });

        // A reader that neither consumes nor examines anything: the receive side must pause, holding at most the pause
        // threshold plus one receive, however much the sender pushes. (Pipe's backpressure counts bytes not yet
        // *examined*: a reader that examines everything while waiting for a larger frame lets more in, and is bounded
        // by its own protocol's maximum frame size instead. That case is the protocols' to test.)
        while (true)
        {
            var result = await server.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
            Assert.True(result.Buffer.Length <= options.InputPauseThreshold + options.ReceiveBufferSize,
                $"{result.Buffer.Length} bytes buffered");
            server.Input.AdvanceTo(result.Buffer.Start, result.Buffer.Start);
            if (result.Buffer.Length >= options.InputPauseThreshold)
                break;
            await Task.Yield();
        }
        Assert.False(sending.IsCompleted, "8 MiB cannot all be in flight while the reader holds back");

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(await server.Input.ReadToEndAsync()));
        await sending.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task AnApplicationAbandoningInputWithAnErrorStillReleasesTheConnection()
    {
        // A protocol layer that gives up on a connection completes Input with its error while the peer keeps sending;
        // the connection must still end cleanly and give its listener slot back.
        var transport = new TcpTransport(new TcpTransportOptions { InputPauseThreshold = 64 * 1024, InputResumeThreshold = 32 * 1024, ReceiveBufferSize = 4096 });
        await using var listener = transport.Listen(AnyLoopbackPort);
        await using var client = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        var server = (await listener.AcceptAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;

        using var stopSending = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            var chunk = new byte[16 * 1024];
            try
            {
                while (!stopSending.IsCancellationRequested)
                    await client.Output.WriteAsync(chunk, stopSending.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or TransportException)
            {
            }
        });
        var first = await server.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        server.Input.AdvanceTo(first.Buffer.End);
        await server.Input.CompleteAsync(new InvalidDataException("the protocol above refused this peer"));
        await server.Output.CompleteAsync();

        await server.DisposeAsync();
        await server.Closed.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(0, listener.OpenConnections);
        stopSending.Cancel();
        await sending.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task InboundConnectionsBeyondTheLimitAreReset()
    {
        var transport = new TcpTransport(new TcpTransportOptions { MaxInboundConnections = 1 });
        await using var listener = transport.Listen(AnyLoopbackPort);
        var first = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        var accepted = (await listener.AcceptAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;

        var accepting = listener.AcceptAsync().AsTask();
        var refused = await Assert.ThrowsAsync<TransportException>(async () =>
        {
            // The reset may beat the connect's completion, or come on the first read.
            await using var second = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
            await second.Input.ReadToEndAsync();
        });
        Assert.Equal(TransportError.ConnectionReset, refused.Error);
        Assert.Equal(1, listener.RejectedConnections);
        Assert.False(accepting.IsCompleted);

        // Closing the accepted connection frees its slot.
        await accepted.DisposeAsync();
        await first.DisposeAsync();
        await using var third = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        await using var thirdAccepted = (await accepting.WaitAsync(PipeTestExtensions.Guard))!;
        Assert.Equal(third.LocalAddress, thirdAccepted.RemoteAddress);
    }

    [Fact]
    public async Task AbortResetsThePeer()
    {
        var transport = new TcpTransport();
        await using var listener = transport.Listen(AnyLoopbackPort);
        await using var client = await transport.DialAsync(listener.LocalAddress).AsTask().WaitAsync(PipeTestExtensions.Guard);
        var server = (await listener.AcceptAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;
        server.Abort();

        var remote = await Assert.ThrowsAsync<TransportException>(() => client.Input.ReadToEndAsync());
        Assert.Equal(TransportError.ConnectionReset, remote.Error);
        var local = await Assert.ThrowsAsync<TransportException>(() => server.Input.ReadToEndAsync());
        Assert.Equal(TransportError.ConnectionAborted, local.Error);
        await server.Closed.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task DialingAClosedPortIsRefused()
    {
        var transport = new TcpTransport();
        Multiaddr address;
        await using (var listener = transport.Listen(AnyLoopbackPort))
            address = listener.LocalAddress;
        var error = await Assert.ThrowsAsync<TransportException>(() => transport.DialAsync(address).AsTask());
        Assert.Equal(TransportError.ConnectionRefused, error.Error);
    }

    [Fact]
    public async Task ConnectThatNeverCompletesTimesOut()
    {
        // A listener that never accepts, with its accept queue full: Linux drops further SYNs, so connects hang.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        stalled.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stalled.Listen(0);
        var address = Multiaddr.FromIPEndPoint((IPEndPoint)stalled.LocalEndPoint!);
        var fillers = new List<Socket>();
        var transport = new TcpTransport(new TcpTransportOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        try
        {
            for (var attempt = 0; attempt < 16; attempt++)
            {
                try
                {
                    fillers.Add(await ConnectRawAsync(address));
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            var error = await Assert.ThrowsAsync<TransportException>(() => transport.DialAsync(address).AsTask().WaitAsync(PipeTestExtensions.Guard));
            Assert.Equal(TransportError.ConnectTimeout, error.Error);
        }
        finally
        {
            fillers.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task CallerCancellationOfADialIsNotATimeout()
    {
        var transport = new TcpTransport();
        await using var listener = transport.Listen(AnyLoopbackPort);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.DialAsync(listener.LocalAddress, cancelled.Token).AsTask());
    }

    [Theory]
    [InlineData("/ip4/127.0.0.1")]
    [InlineData("/p2p/12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns")]
    [InlineData("/dns4/localhost")]
    public async Task AddressesWithoutATcpEndpointAreRefused(string text)
    {
        var transport = new TcpTransport();
        var address = Multiaddr.Parse(text);
        Assert.Equal(TransportError.UnsupportedAddress, (await Assert.ThrowsAsync<TransportException>(() => transport.DialAsync(address).AsTask())).Error);
        Assert.Equal(TransportError.UnsupportedAddress, Assert.Throws<TransportException>(() => transport.Listen(address)).Error);
    }

    [Fact]
    public async Task ListeningOnABusyPortFails()
    {
        var transport = new TcpTransport();
        await using var listener = transport.Listen(AnyLoopbackPort);
        Assert.Equal(TransportError.BindFailed, Assert.Throws<TransportException>(() => transport.Listen(listener.LocalAddress)).Error);
    }

    private static async Task<Socket> ConnectRawAsync(Multiaddr address)
    {
        address.TryGetIPEndPoint(out var endPoint);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            await socket.ConnectAsync(endPoint!, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
