using FsCheck.Xunit;
using Sequencer.Core.Formats;

namespace Sequencer.Core.Tests.Formats;

public sealed class ProtobufTests
{
    [Fact]
    public void ReadsTheSpecExample()
    {
        // protobuf.dev "Encoding": message Test1 { int32 a = 1; } with a = 150, and Test2 { string b = 2; } "testing".
        var reader = new ProtobufReader(Convert.FromHexString("089601120774657374696e67"));
        Assert.True(reader.TryReadTag(out var field, out var wireType));
        Assert.Equal((1, ProtobufWireType.Varint), (field, wireType));
        Assert.True(reader.TryReadVarint(wireType, out var a));
        Assert.Equal(150UL, a);
        Assert.True(reader.TryReadTag(out field, out wireType));
        Assert.True(reader.TryReadBytes(wireType, out var b));
        Assert.Equal("testing"u8.ToArray(), b.ToArray());
        Assert.False(reader.TryReadTag(out _, out _));
        Assert.Equal(ProtobufError.None, reader.Error);
    }

    [Property]
    public bool WriterAndReaderRoundTrip(ulong number, byte[] bytes)
    {
        var size = ProtobufWriter.GetVarintFieldSize(1, number) + ProtobufWriter.GetBytesFieldSize(2, bytes.Length);
        var buffer = new byte[size];
        var writer = new ProtobufWriter(buffer);
        writer.WriteVarintField(1, number);
        writer.WriteBytesField(2, bytes);
        if (writer.Written != size)
            return false;

        var reader = new ProtobufReader(buffer);
        return reader.TryReadTag(out var f1, out var t1) && f1 == 1 && reader.TryReadVarint(t1, out var n) && n == number
            && reader.TryReadTag(out var f2, out var t2) && f2 == 2 && reader.TryReadBytes(t2, out var b) && b.SequenceEqual(bytes)
            && !reader.TryReadTag(out _, out _) && reader.Error == ProtobufError.None;
    }

    [Property]
    public bool EveryTruncationIsATypedErrorNeverAnException(ulong number, byte[] bytes)
    {
        var buffer = new byte[ProtobufWriter.GetVarintFieldSize(1, number) + ProtobufWriter.GetBytesFieldSize(2, bytes.Length)];
        var writer = new ProtobufWriter(buffer);
        writer.WriteVarintField(1, number);
        writer.WriteBytesField(2, bytes);
        for (var length = 1; length < buffer.Length; length++)
        {
            var reader = new ProtobufReader(buffer.AsSpan(0, length));
            while (reader.TryReadTag(out _, out var wireType) && reader.TrySkip(wireType))
            {
            }
            // A cut exactly between the two fields is a valid, shorter message.
            if (reader.Error == ProtobufError.None && length != ProtobufWriter.GetVarintFieldSize(1, number))
                return false;
        }
        return true;
    }

    [Theory]
    [InlineData("00", ProtobufError.InvalidTag)]                       // field number 0
    [InlineData("0b", ProtobufError.InvalidTag)]                       // group start
    [InlineData("0a05abcd", ProtobufError.LengthOutOfRange)]           // 5 bytes announced, 2 present
    [InlineData("08ffffffffffffffffff02", ProtobufError.MalformedVarint)] // beyond 64 bits
    [InlineData("0880", ProtobufError.Truncated)]
    public void RefusesMalformedInput(string hex, ProtobufError expected)
    {
        var reader = new ProtobufReader(Convert.FromHexString(hex));
        while (reader.TryReadTag(out _, out var wireType) && reader.TrySkip(wireType))
        {
        }
        Assert.Equal(expected, reader.Error);
    }

    [Fact]
    public void WrongWireTypeIsReported()
    {
        var reader = new ProtobufReader(Convert.FromHexString("0a00"));
        Assert.True(reader.TryReadTag(out _, out var wireType));
        Assert.False(reader.TryReadVarint(wireType, out _));
        Assert.Equal(ProtobufError.WrongWireType, reader.Error);
    }
}
