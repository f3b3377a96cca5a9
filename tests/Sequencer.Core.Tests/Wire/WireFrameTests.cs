using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Formats;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

public sealed class WireFrameTests
{
    private static byte[] Frame(ReadOnlySpan<byte> payload, int max = WireFrame.DefaultMaxPayloadLength)
    {
        var output = new ArrayBufferWriter<byte>();
        WireFrame.WriteFrame(output, payload, max);
        return output.WrittenSpan.ToArray();
    }

    [Property]
    public Property FramesComeOutOneAtATimeWhateverTheSegmentation()
    {
        var input = Gen.NonEmptyListOf(Gen.Choose(0, 400).SelectMany(WireGenerators.Bytes))
            .SelectMany(payloads => WireGenerators.SegmentSizes.Select(sizes => (payloads: payloads.ToArray(), sizes)));
        return Prop.ForAll(input.ToArbitrary(), x =>
        {
            var stream = x.payloads.SelectMany(p => Frame(p)).ToArray();
            var buffer = SegmentedSequence.Create(stream, x.sizes);
            foreach (var expected in x.payloads)
            {
                if (WireFrame.TryReadFrame(ref buffer, out var payload) != FrameReadStatus.Complete
                    || !payload.ToArray().AsSpan().SequenceEqual(expected))
                    return false;
            }
            return buffer.IsEmpty;
        });
    }

    [Property]
    public bool APartialFrameConsumesNothing(byte[] payload)
    {
        var frame = Frame(payload);
        for (var length = 0; length < frame.Length; length++)
        {
            var buffer = SegmentedSequence.Create(frame.AsSpan(0, length), [2, 1]);
            var before = buffer;
            if (WireFrame.TryReadFrame(ref buffer, out var read) != FrameReadStatus.NeedMoreData
                || !buffer.Equals(before) || !read.IsEmpty)
                return false;
        }
        return true;
    }

    [Fact]
    public void AnOversizedFrameIsRefusedFromItsPrefixAlone()
    {
        var prefix = new byte[UnsignedVarint.MaxLength];
        var written = UnsignedVarint.Write(WireFrame.DefaultMaxPayloadLength + 1, prefix);
        var buffer = new ReadOnlySequence<byte>(prefix, 0, written);
        Assert.Equal(FrameReadStatus.TooLarge, WireFrame.TryReadFrame(ref buffer, out _));
        Assert.Equal(written, buffer.Length);

        // Three continuation bytes already promise at least 2^21 bytes: refused before the prefix even ends.
        var unfinished = new ReadOnlySequence<byte>(new byte[] { 0x80, 0x80, 0x80 });
        Assert.Equal(FrameReadStatus.TooLarge, WireFrame.TryReadFrame(ref unfinished, out _));
        // Two promise only 2^14, which a default frame may hold: wait for more.
        var shorter = new ReadOnlySequence<byte>(new byte[] { 0x80, 0x80 });
        Assert.Equal(FrameReadStatus.NeedMoreData, WireFrame.TryReadFrame(ref shorter, out _));
    }

    [Fact]
    public void TheBoundIsInclusiveAndConfigurable()
    {
        var frame = Frame(new byte[100], max: 100);
        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.Equal(FrameReadStatus.TooLarge, WireFrame.TryReadFrame(ref buffer, out _, maxPayloadLength: 99));
        Assert.Equal(FrameReadStatus.Complete, WireFrame.TryReadFrame(ref buffer, out var payload, maxPayloadLength: 100));
        Assert.Equal(100, payload.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => Frame(new byte[101], max: 100));
    }

    [Fact]
    public void ANonMinimalLengthPrefixIsMalformed()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x81, 0x00, 0x01 });
        Assert.Equal(FrameReadStatus.MalformedLength, WireFrame.TryReadFrame(ref buffer, out _));
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    public void AnEmptyFrameIsAFrame()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x00, 0x05 });
        Assert.Equal(FrameReadStatus.Complete, WireFrame.TryReadFrame(ref buffer, out var payload));
        Assert.True(payload.IsEmpty);
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void AMessageFramesWithItsEncodedLength()
    {
        var vote = WireGenerators.Vote.Sample(1, 10).Single();
        var output = new ArrayBufferWriter<byte>();
        WireFrame.WriteLengthPrefix(output, Vote.EncodedLength);
        vote.Encode(output);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(FrameReadStatus.Complete, WireFrame.TryReadFrame(ref buffer, out var payload));
        Assert.True(Vote.TryDecode(payload, out var decoded).IsOk);
        Assert.Equal(vote, decoded);
    }
}
