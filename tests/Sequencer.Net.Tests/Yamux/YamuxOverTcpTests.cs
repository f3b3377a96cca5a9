using System.Security.Cryptography;
using Sequencer.Net.Addressing;
using Sequencer.Net.Multistream;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Tests.Yamux;

/// <summary>The layers together on loopback TCP: transport, multistream-select for the muxer, yamux, per-stream negotiation.</summary>
public sealed class YamuxOverTcpTests
{
    [Fact]
    public async Task NegotiatedSessionsCarryConcurrentStreamsOverTcp()
    {
        var transport = new TcpTransport();
        await using var listener = transport.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        var dialing = transport.DialAsync(listener.LocalAddress).AsTask();
        var serverConnection = (await listener.AcceptAsync().AsTask().WaitAsync(PipeTestExtensions.Guard))!;
        var clientConnection = await dialing.WaitAsync(PipeTestExtensions.Guard);

        var listening = MultistreamSelect.ListenAsync(serverConnection, ["/yamux/1.0.0"]).AsTask();
        Assert.Equal("/yamux/1.0.0", await MultistreamSelect.SelectAsync(clientConnection, ["/mplex/6.7.0", "/yamux/1.0.0"]).AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal("/yamux/1.0.0", await listening.WaitAsync(PipeTestExtensions.Guard));

        var options = new YamuxOptions { KeepAliveInterval = Timeout.InfiniteTimeSpan };
        var client = YamuxSession.Start(clientConnection, isInitiator: true, options);
        var server = YamuxSession.Start(serverConnection, isInitiator: false, options);

        var serving = Task.Run(async () =>
        {
            var handlers = new List<Task>();
            while (await server.AcceptStreamAsync() is { } stream)
            {
                handlers.Add(Task.Run(async () =>
                {
                    var protocol = await MultistreamSelect.ListenAsync(stream, ["/echo/1.0.0"]);
                    Assert.Equal("/echo/1.0.0", protocol);
                    await stream.Input.CopyToAsync(stream.Output);
                    await stream.Output.CompleteAsync();
                }));
            }
            await Task.WhenAll(handlers);
        });

        var exchanges = Enumerable.Range(0, 16).Select(seed => Task.Run(async () =>
        {
            var payload = new byte[300_000 + seed];
            new Random(seed).NextBytes(payload);
            var stream = await client.OpenStreamAsync();
            Assert.Equal("/echo/1.0.0", await MultistreamSelect.SelectAsync(stream, ["/echo/1.0.0"]));
            var sending = Task.Run(async () =>
            {
                await stream.Output.WriteAsync(payload);
                await stream.Output.CompleteAsync();
            });
            var echoed = await stream.Input.ReadToEndAsync();
            await sending;
            Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
        })).ToArray();
        await Task.WhenAll(exchanges).WaitAsync(PipeTestExtensions.Guard * 3);

        await client.DisposeAsync();
        await server.Completion.WaitAsync(PipeTestExtensions.Guard);
        await serving.WaitAsync(PipeTestExtensions.Guard);
        await server.DisposeAsync();
        await clientConnection.DisposeAsync();
        await serverConnection.DisposeAsync();
        await Task.WhenAll(clientConnection.Closed, serverConnection.Closed).WaitAsync(PipeTestExtensions.Guard);
    }
}
