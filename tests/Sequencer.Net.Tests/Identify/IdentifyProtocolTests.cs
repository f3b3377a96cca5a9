using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using Sequencer.Net.Addressing;
using Sequencer.Net.Identify;
using Sequencer.Net.Tests.Noise;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Tests.Identify;

/// <summary>The identify exchange on a stream: uvarint length ‖ message, bounded, with typed errors.</summary>
public sealed class IdentifyProtocolTests
{
    [Fact]
    public async Task TheRequesterReceivesTheRespondersMessageAndBothClose()
    {
        using var key = TestIdentities.Secp256k1Fixed();
        var message = IdentifyMessage.ForLocalPeer(key.PublicKey, [Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")],
            Multiaddr.Parse("/ip4/127.0.0.1/tcp/50123"), ["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshsub/1.1.0"]);
        var (requester, responder) = PipeFactory.CreateConnectedPair();

        var responding = IdentifyProtocol.RespondAsync(responder, message);
        var received = await IdentifyProtocol.RequestAsync(requester).WaitAsync(PipeTestExtensions.Guard);
        await responding.WaitAsync(PipeTestExtensions.Guard);

        Assert.Equal(message.ToArray(), received.ToArray());
        Assert.Equal(key.PublicKey.ToPeerId(), received.TryGetPublicKey(out var remote) ? remote!.ToPeerId() : default);
    }

    [Fact]
    public async Task TheResponderSendsTheLengthPrefixedMessageThenCloses()
    {
        var message = new IdentifyMessage { ProtocolVersion = "ipfs/0.1.0", Protocols = ["/a"] };
        var (requester, responder) = PipeFactory.CreateConnectedPair();
        var responding = IdentifyProtocol.RespondAsync(responder, message);
        var wire = await requester.Input.ReadToEndAsync();
        Assert.Equal(Convert.FromHexString("10" + "2a0a697066732f302e312e30" + "1a022f61"), wire);
        await requester.Output.CompleteAsync();
        await responding.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task AMessageArrivingByteByByteIsRead()
    {
        var bytes = new IdentifyMessage { AgentVersion = "x", Protocols = ["/p/1", "/q/2"] }.ToArray();
        var pipe = new Pipe();
        var reading = IdentifyProtocol.ReadMessageAsync(pipe.Reader, IdentifyProtocol.DefaultMaxMessageSize);
        await pipe.Writer.WriteAndFlushAsync([(byte)bytes.Length]);
        foreach (var b in bytes)
            await pipe.Writer.WriteAndFlushAsync([b]);
        var message = await reading.WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(["/p/1", "/q/2"], message.Protocols);
    }

    [Theory]
    [InlineData("8140", IdentifyError.MessageTooLarge)]      // 8193 bytes announced: refused before the body arrives
    [InlineData("ffffffffffffffffff7f", IdentifyError.InvalidLengthPrefix)] // longer than 9 bytes
    [InlineData("8000", IdentifyError.InvalidLengthPrefix)]  // a non-minimal varint
    [InlineData("05", IdentifyError.StreamClosed)]           // a prefix, then the stream ends
    [InlineData("052a03", IdentifyError.StreamClosed)]       // part of the body
    [InlineData("", IdentifyError.StreamClosed)]
    [InlineData("022a05", IdentifyError.MalformedProtobuf)]  // a complete 2-byte body that is not protobuf
    [InlineData("022a01", IdentifyError.MalformedProtobuf)]
    [InlineData("031a01ff", IdentifyError.InvalidString)]
    public async Task BadAnswersGiveTypedErrors(string wireHex, IdentifyError expected)
    {
        var (requester, responder) = PipeFactory.CreateConnectedPair();
        await responder.Output.WriteAndFlushAsync(Convert.FromHexString(wireHex));
        await responder.Output.CompleteAsync();
        var error = await Assert.ThrowsAsync<IdentifyException>(() => IdentifyProtocol.RequestAsync(requester).WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public async Task AnAnswerThatNeverComesTimesOut()
    {
        var time = new FakeTimeProvider();
        var (requester, _) = PipeFactory.CreateConnectedPair();
        var requesting = IdentifyProtocol.RequestAsync(requester, new IdentifyOptions { Timeout = TimeSpan.FromSeconds(5), TimeProvider = time });
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<IdentifyException>(() => requesting.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(IdentifyError.Timeout, error.Error);
    }

    [Fact]
    public async Task TheResponderStopsWaitingForTheRequesterAtTheTimeout()
    {
        var time = new FakeTimeProvider();
        var (requester, responder) = PipeFactory.CreateConnectedPair();
        var responding = IdentifyProtocol.RespondAsync(responder, new IdentifyMessage { AgentVersion = "a" },
            new IdentifyOptions { Timeout = TimeSpan.FromSeconds(5), TimeProvider = time });
        await IdentifyProtocol.ReadMessageAsync(requester.Input, 8192).WaitAsync(PipeTestExtensions.Guard);
        time.Advance(TimeSpan.FromSeconds(5));
        await responding.WaitAsync(PipeTestExtensions.Guard);
    }

    [Fact]
    public async Task OurMessageMayNotExceedWhatPeersAccept()
    {
        var (_, responder) = PipeFactory.CreateConnectedPair();
        var huge = new IdentifyMessage { Protocols = Enumerable.Range(0, 1000).Select(i => $"/protocol/{i}/1.0.0").ToArray() };
        await Assert.ThrowsAsync<ArgumentException>(() => IdentifyProtocol.RespondAsync(responder, huge));
    }
}
