using System.Buffers;
using FsCheck.Xunit;
using Sequencer.Core.Formats;

namespace Sequencer.Core.Tests.Formats;

public sealed class UnsignedVarintTests
{
    // Examples of the multiformats unsigned-varint spec.
    [Theory]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(255UL, "ff01")]
    [InlineData(300UL, "ac02")]
    [InlineData(16384UL, "808001")]
    public void EncodesSpecExamples(ulong value, string hex)
    {
        Span<byte> buffer = stackalloc byte[UnsignedVarint.MaxLength];
        var written = UnsignedVarint.Write(value, buffer);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer[..written]));
        Assert.Equal(written, UnsignedVarint.GetLength(value));
    }

    [Property]
    public bool RoundTripsThroughSpanAndSequence(ulong raw)
    {
        var value = raw & UnsignedVarint.MaxValue;
        var buffer = new byte[UnsignedVarint.MaxLength + 1];
        var written = UnsignedVarint.Write(value, buffer);
        var spanOk = UnsignedVarint.TryRead(buffer, out var fromSpan, out var consumed) == OperationStatus.Done
            && fromSpan == value && consumed == written;
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer));
        var sequenceOk = UnsignedVarint.TryRead(ref reader, out var fromSequence) == OperationStatus.Done
            && fromSequence == value && reader.Consumed == written;
        return spanOk && sequenceOk;
    }

    [Property]
    public bool EveryProperPrefixNeedsMoreData(ulong raw)
    {
        var value = raw & UnsignedVarint.MaxValue;
        var buffer = new byte[UnsignedVarint.MaxLength];
        var written = UnsignedVarint.Write(value, buffer);
        for (var length = 0; length < written; length++)
        {
            if (UnsignedVarint.TryRead(buffer.AsSpan(0, length), out _, out _) != OperationStatus.NeedMoreData)
                return false;
        }
        return true;
    }

    [Theory]
    [InlineData("8000")]                 // 0 in two bytes
    [InlineData("ff00")]                 // 127 in two bytes
    [InlineData("ffffffffffffffffff01")] // ten bytes
    [InlineData("808080808080808080")]   // nine continuation bytes
    public void RefusesNonMinimalAndOverlongEncodings(string hex)
    {
        Assert.Equal(OperationStatus.InvalidData, UnsignedVarint.TryRead(Convert.FromHexString(hex), out _, out _));
    }

    [Fact]
    public void SequenceReaderIsNotAdvancedWhenIncomplete()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>([0x80, 0x80]));
        Assert.Equal(OperationStatus.NeedMoreData, UnsignedVarint.TryRead(ref reader, out _));
        Assert.Equal(0, reader.Consumed);
    }
}
