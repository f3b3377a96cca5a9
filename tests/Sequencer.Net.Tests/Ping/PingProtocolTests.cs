using Microsoft.Extensions.Time.Testing;
using Sequencer.Net.Ping;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Tests.Ping;

/// <summary>Ping: 32 bytes echoed, repeatable on one stream, and the ways a ping fails.</summary>
public sealed class PingProtocolTests
{
    [Fact]
    public async Task PingsOnOneStreamAreEchoedUntilTheDiallerCloses()
    {
        var (dialler, listener) = PipeFactory.CreateConnectedPair();
        var responding = PingProtocol.RespondAsync(listener);
        for (var i = 0; i < 3; i++)
        {
            var rtt = await PingProtocol.PingAsync(dialler, TimeSpan.FromSeconds(10)).WaitAsync(PipeTestExtensions.Guard);
            Assert.True(rtt >= TimeSpan.Zero);
        }
        await dialler.Output.CompleteAsync();
        Assert.Equal(3, await responding.WaitAsync(PipeTestExtensions.Guard));
        Assert.Empty(await dialler.Input.ReadToEndAsync());
    }

    [Fact]
    public async Task PayloadsArrivingTogetherAreAllEchoedAndAPartialOneIsDropped()
    {
        var (dialler, listener) = PipeFactory.CreateConnectedPair();
        var payloads = new byte[3 * 32 + 5];
        new Random(7).NextBytes(payloads);
        await dialler.Output.WriteAndFlushAsync(payloads);
        await dialler.Output.CompleteAsync();
        Assert.Equal(3, await PingProtocol.RespondAsync(listener).WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(payloads[..96], await dialler.Input.ReadToEndAsync());
    }

    [Fact]
    public async Task AWrongAnswerIsAMismatch()
    {
        var (dialler, listener) = PipeFactory.CreateConnectedPair();
        var pinging = PingProtocol.PingAsync(dialler, TimeSpan.FromSeconds(10));
        var sent = await listener.Input.ReadExactlyAsync(32);
        sent[31] ^= 1;
        await listener.Output.WriteAndFlushAsync(sent);
        var error = await Assert.ThrowsAsync<PingException>(() => pinging.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(PingError.Mismatch, error.Error);
    }

    [Fact]
    public async Task AStreamClosedBeforeTheAnswerIsTypedError()
    {
        var (dialler, listener) = PipeFactory.CreateConnectedPair();
        var pinging = PingProtocol.PingAsync(dialler, TimeSpan.FromSeconds(10));
        await listener.Input.ReadExactlyAsync(32);
        await listener.Output.WriteAndFlushAsync(new byte[31]);
        await listener.Output.CompleteAsync();
        var error = await Assert.ThrowsAsync<PingException>(() => pinging.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(PingError.StreamClosed, error.Error);
        Assert.Contains("31", error.Message);
    }

    [Fact]
    public async Task NoAnswerTimesOut()
    {
        var time = new FakeTimeProvider();
        var (dialler, _) = PipeFactory.CreateConnectedPair();
        var pinging = PingProtocol.PingAsync(dialler, TimeSpan.FromSeconds(5), time);
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<PingException>(() => pinging.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(PingError.Timeout, error.Error);
    }

    [Fact]
    public async Task TheRoundTripIsMeasuredOnTheGivenClock()
    {
        var time = new FakeTimeProvider();
        var (dialler, listener) = PipeFactory.CreateConnectedPair();
        var pinging = PingProtocol.PingAsync(dialler, TimeSpan.FromSeconds(5), time);
        var sent = await listener.Input.ReadExactlyAsync(32);
        time.Advance(TimeSpan.FromMilliseconds(42));
        await listener.Output.WriteAndFlushAsync(sent);
        Assert.Equal(TimeSpan.FromMilliseconds(42), await pinging.WaitAsync(PipeTestExtensions.Guard));
    }

    [Fact]
    public async Task EachPingSendsFreshRandomBytes()
    {
        var (dialler, listener) = PipeFactory.CreateConnectedPair();
        var payloads = new List<byte[]>();
        for (var i = 0; i < 2; i++)
        {
            var pinging = PingProtocol.PingAsync(dialler, TimeSpan.FromSeconds(10));
            var payload = await listener.Input.ReadExactlyAsync(32);
            await listener.Output.WriteAndFlushAsync(payload);
            await pinging.WaitAsync(PipeTestExtensions.Guard);
            payloads.Add(payload);
        }
        Assert.NotEqual(payloads[0], payloads[1]);
    }
}
