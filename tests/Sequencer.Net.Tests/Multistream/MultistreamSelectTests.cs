using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Formats;
using Sequencer.Net.Multistream;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Tests.Multistream;

public sealed class MultistreamSelectTests
{
    // Byte sequences from shared/interop/capture.txt (js-libp2p 2.10 dialer and listener negotiating /noise).
    private static readonly byte[] DialerFirstWrite = Convert.FromHexString("132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a");
    private static readonly byte[] ListenerHeader = Convert.FromHexString("132f6d756c746973747265616d2f312e302e300a");
    private static readonly byte[] NoiseEcho = Convert.FromHexString("072f6e6f6973650a");
    private static readonly byte[] NotAvailable = Convert.FromHexString("036e610a");

    [Fact]
    public async Task DialerPipelinesHeaderAndFirstProposalInOneWrite()
    {
        var (dialer, peer) = PipeFactory.CreateConnectedPair();
        var selecting = MultistreamSelect.SelectAsync(dialer, ["/noise"]).AsTask();

        // One flush: the first read sees the whole 28 bytes, exactly what js sends (capture #0).
        var first = await peer.Input.ReadAsync().AsTask().WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal(DialerFirstWrite, first.Buffer.ToArray());
        peer.Input.AdvanceTo(first.Buffer.End);

        // The js listener's answer, split as the libp2p 3.x tree splits it (third capture: 1, 19, 1, 7 bytes).
        foreach (var chunk in new[] { ListenerHeader[..1], ListenerHeader[1..], NoiseEcho[..1], NoiseEcho[1..] })
        {
            Assert.False(selecting.IsCompleted);
            await peer.Output.WriteAndFlushAsync(chunk);
        }
        Assert.Equal("/noise", await selecting.WaitAsync(PipeTestExtensions.Guard));
    }

    [Fact]
    public async Task ListenerAnswersTheCapturedDialer()
    {
        var (listener, peer) = PipeFactory.CreateConnectedPair();
        var listening = MultistreamSelect.ListenAsync(listener, ["/tls/1.0.0", "/noise"]).AsTask();
        await peer.Output.WriteAndFlushAsync(DialerFirstWrite[..1]);
        await peer.Output.WriteAndFlushAsync(DialerFirstWrite[1..]);

        Assert.Equal("/noise", await listening.WaitAsync(PipeTestExtensions.Guard));
        var answer = await peer.Input.ReadExactlyAsync(ListenerHeader.Length + NoiseEcho.Length);
        Assert.Equal([.. ListenerHeader, .. NoiseEcho], answer);
        Assert.Empty(peer.Input.TakeAvailable());
    }

    [Fact]
    public async Task ListenerSendsNothingToAPeerThatDoesNotSpeakMultistream()
    {
        var (listener, peer) = PipeFactory.CreateConnectedPair();
        var listening = MultistreamSelect.ListenAsync(listener, ["/noise"]).AsTask();
        await peer.Output.WriteAndFlushAsync(Encoding.ASCII.GetBytes("\u0010GET / HTTP/1.1\r\n"));

        var error = await Assert.ThrowsAsync<MultistreamException>(() => listening.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(MultistreamError.InvalidHeader, error.Error);
        Assert.Empty(peer.Input.TakeAvailable());
    }

    [Fact]
    public async Task DialerFallsBackAfterNaInOrder()
    {
        var (dialer, peer) = PipeFactory.CreateConnectedPair();
        var selecting = MultistreamSelect.SelectAsync(dialer, ["/meshsub/1.2.0", "/meshsub/1.1.0", "/floodsub/1.0.0"]).AsTask();

        var first = await peer.Input.ReadExactlyAsync(ListenerHeader.Length + 16);
        Assert.Equal([.. ListenerHeader, .. Message("/meshsub/1.2.0")], first);
        await peer.Output.WriteAndFlushAsync([.. ListenerHeader, .. NotAvailable]);
        Assert.Equal(Message("/meshsub/1.1.0"), await peer.Input.ReadExactlyAsync(16));
        await peer.Output.WriteAndFlushAsync(Message("/meshsub/1.1.0"));

        Assert.Equal("/meshsub/1.1.0", await selecting.WaitAsync(PipeTestExtensions.Guard));
    }

    [Fact]
    public async Task BothSidesAgreeOverAPipePair()
    {
        var (dialer, listener) = PipeFactory.CreateConnectedPair();
        var listening = MultistreamSelect.ListenAsync(listener, ["/ipfs/id/1.0.0", "/meshsub/1.1.0"]).AsTask();
        var selected = await MultistreamSelect.SelectAsync(dialer, ["/meshsub/1.2.0", "/meshsub/1.1.0"]).AsTask().WaitAsync(PipeTestExtensions.Guard);
        Assert.Equal("/meshsub/1.1.0", selected);
        Assert.Equal("/meshsub/1.1.0", await listening.WaitAsync(PipeTestExtensions.Guard));
    }

    [Fact]
    public async Task DialerGetsNoProtocolAgreedWhenEveryProposalIsRefused()
    {
        var (dialer, listener) = PipeFactory.CreateConnectedPair();
        var listening = MultistreamSelect.ListenAsync(listener, ["/ipfs/id/1.0.0"]).AsTask();
        var error = await Assert.ThrowsAsync<MultistreamException>(() =>
            MultistreamSelect.SelectAsync(dialer, ["/a", "/b"]).AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(MultistreamError.NoProtocolAgreed, error.Error);

        // The dialer gives up by closing; the listener sees the channel close mid-negotiation.
        await dialer.Output.CompleteAsync();
        var closed = await Assert.ThrowsAsync<MultistreamException>(() => listening.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(MultistreamError.ConnectionClosed, closed.Error);
    }

    [Fact]
    public async Task ListenerAnswersLsWithItsProtocols()
    {
        var (listener, peer) = PipeFactory.CreateConnectedPair();
        var listening = MultistreamSelect.ListenAsync(listener, ["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"]).AsTask();
        await peer.Output.WriteAndFlushAsync([.. ListenerHeader, .. Message("ls")]);

        // One message whose body is the protocol ids as messages, then the newline that ends the outer message.
        byte[] body = [.. Message("/ipfs/id/1.0.0"), .. Message("/ipfs/ping/1.0.0"), (byte)'\n'];
        var listing = await peer.Input.ReadExactlyAsync(ListenerHeader.Length + 1 + body.Length);
        Assert.Equal([.. ListenerHeader, (byte)body.Length, .. body], listing);

        await peer.Output.WriteAndFlushAsync(Message("/ipfs/ping/1.0.0"));
        Assert.Equal("/ipfs/ping/1.0.0", await listening.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(Message("/ipfs/ping/1.0.0"), await peer.Input.ReadExactlyAsync(18));
    }

    [Fact]
    public async Task BytesAfterTheNegotiationStayForTheSelectedProtocol()
    {
        var (listener, peer) = PipeFactory.CreateConnectedPair();
        var listening = MultistreamSelect.ListenAsync(listener, ["/noise"]).AsTask();
        await peer.Output.WriteAndFlushAsync([.. DialerFirstWrite, 0x00, 0x20, 0xAB]);
        Assert.Equal("/noise", await listening.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal([0x00, 0x20, 0xAB], await listener.Input.ReadExactlyAsync(3));

        var (dialer, other) = PipeFactory.CreateConnectedPair();
        var selecting = MultistreamSelect.SelectAsync(dialer, ["/noise"]).AsTask();
        await other.Output.WriteAndFlushAsync([.. ListenerHeader, .. NoiseEcho, 0x00, 0x01]);
        Assert.Equal("/noise", await selecting.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal([0x00, 0x01], await dialer.Input.ReadExactlyAsync(2));
    }

    [Theory]
    [InlineData("8010", MultistreamError.MessageTooLong)]          // 2048 announced: refused before the body arrives
    [InlineData("00", MultistreamError.MalformedMessage)]           // empty message, not even a newline
    [InlineData("8000", MultistreamError.MalformedMessage)]         // non-minimal varint
    [InlineData("03616263", MultistreamError.MalformedMessage)]     // "abc" without newline
    [InlineData("03ff fe0a", MultistreamError.MalformedMessage)]    // not UTF-8
    [InlineData("0b2f6e6f742d6d7373", MultistreamError.ConnectionClosed)] // then the peer closes mid-message
    public async Task BadMessagesAreTypedErrors(string hex, MultistreamError expected)
    {
        var (listener, peer) = PipeFactory.CreateConnectedPair();
        var listening = MultistreamSelect.ListenAsync(listener, ["/noise"]).AsTask();
        await peer.Output.WriteAndFlushAsync(Convert.FromHexString(hex.Replace(" ", "")));
        await peer.Output.CompleteAsync();
        var error = await Assert.ThrowsAsync<MultistreamException>(() => listening.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public async Task UnexpectedAnswerIsATypedError()
    {
        var (dialer, peer) = PipeFactory.CreateConnectedPair();
        var selecting = MultistreamSelect.SelectAsync(dialer, ["/noise"]).AsTask();
        await peer.Output.WriteAndFlushAsync([.. ListenerHeader, .. Message("/tls/1.0.0")]);
        var error = await Assert.ThrowsAsync<MultistreamException>(() => selecting.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(MultistreamError.UnexpectedResponse, error.Error);
    }

    [Fact]
    public async Task ListenerStopsAfterTooManyProposals()
    {
        var (listener, peer) = PipeFactory.CreateConnectedPair();
        var options = new MultistreamOptions { MaxProposals = 3 };
        var listening = MultistreamSelect.ListenAsync(listener, ["/noise"], options).AsTask();
        await peer.Output.WriteAndFlushAsync([.. ListenerHeader, .. Message("/a"), .. Message("/b"), .. Message("/c"), .. Message("/d")]);
        var error = await Assert.ThrowsAsync<MultistreamException>(() => listening.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(MultistreamError.TooManyProposals, error.Error);
        Assert.Equal([.. ListenerHeader, .. NotAvailable, .. NotAvailable, .. NotAvailable], peer.Input.TakeAvailable());
    }

    [Fact]
    public async Task SilentPeerTimesOut()
    {
        var (dialer, _) = PipeFactory.CreateConnectedPair();
        var options = new MultistreamOptions { Timeout = TimeSpan.FromMilliseconds(50) };
        var error = await Assert.ThrowsAsync<MultistreamException>(() =>
            MultistreamSelect.SelectAsync(dialer, ["/noise"], options).AsTask().WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(MultistreamError.Timeout, error.Error);
    }

    [Fact]
    public async Task CallerCancellationIsNotATimeout()
    {
        var (listener, _) = PipeFactory.CreateConnectedPair();
        using var cancellation = new CancellationTokenSource();
        var listening = MultistreamSelect.ListenAsync(listener, ["/noise"], cancellationToken: cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listening.WaitAsync(PipeTestExtensions.Guard));
    }

    [Fact]
    public async Task InvalidProtocolIdsAreRefusedUpFront()
    {
        var (dialer, _) = PipeFactory.CreateConnectedPair();
        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectAsync(dialer, []).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectAsync(dialer, ["/a\n/b"]).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => MultistreamSelect.SelectAsync(dialer, ["/" + new string('x', 1023)]).AsTask());
    }

    [Property]
    public bool MessageParserNeverThrowsOnGarbage(byte[] garbage)
    {
        var status = MultistreamMessage.TryRead(new ReadOnlySequence<byte>(garbage ?? []), 1024, out var line, out _, out _);
        return status switch
        {
            OperationStatus.Done => line.Length < 1024,
            OperationStatus.NeedMoreData or OperationStatus.InvalidData => true,
            _ => false,
        };
    }

    [Property]
    public Property EveryProperPrefixOfAMessageNeedsMoreData() => Prop.ForAll(
        Gen.Choose(1, 300).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz/.-0123456789".ToCharArray()), n))
            .Select(chars => new string(chars)).ToArbitrary(),
        text =>
        {
            var message = Message(text);
            for (var length = 0; length < message.Length; length++)
            {
                if (MultistreamMessage.TryRead(new ReadOnlySequence<byte>(message, 0, length), 1024, out _, out _, out _) != OperationStatus.NeedMoreData)
                    return false;
            }
            var status = MultistreamMessage.TryRead(new ReadOnlySequence<byte>(message), 1024, out var line, out var end, out _);
            return status == OperationStatus.Done && Encoding.UTF8.GetString(line.ToArray()) == text && end.Equals(new ReadOnlySequence<byte>(message).End);
        });

    [Property(MaxTest = 30)]
    public Property NegotiationSurvivesAnySplitOfTheListenerAnswer() => Prop.ForAll(
        Gen.ArrayOf(Gen.Choose(1, 5), 12).ToArbitrary(),
        chunkSizes =>
        {
            var (dialer, peer) = PipeFactory.CreateConnectedPair();
            var selecting = MultistreamSelect.SelectAsync(dialer, ["/noise"]).AsTask();
            byte[] answer = [.. ListenerHeader, .. NoiseEcho];
            var position = 0;
            foreach (var size in chunkSizes.Concat(Enumerable.Repeat(answer.Length, 1)))
            {
                var take = Math.Min(size, answer.Length - position);
                if (take == 0)
                    break;
                peer.Output.WriteAndFlushAsync(answer[position..(position + take)]).GetAwaiter().GetResult();
                position += take;
            }
            return selecting.WaitAsync(PipeTestExtensions.Guard).GetAwaiter().GetResult() == "/noise";
        });

    private static byte[] Message(string text)
    {
        var length = new byte[UnsignedVarint.MaxLength];
        var lengthSize = UnsignedVarint.Write((ulong)Encoding.UTF8.GetByteCount(text) + 1, length);
        return [.. length[..lengthSize], .. Encoding.UTF8.GetBytes(text), (byte)'\n'];
    }
}
