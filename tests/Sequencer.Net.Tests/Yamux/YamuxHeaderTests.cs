using System.Buffers;
using FsCheck.Xunit;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Tests.Yamux;

public sealed class YamuxHeaderTests
{
    // Headers exactly as js-libp2p's yamux sent them (shared/interop/capture.txt).
    [Theory]
    [InlineData("000200010000000000000000", YamuxFrameType.Ping, YamuxFlags.Syn, 0u, 0u)]
    [InlineData("000200020000000000000000", YamuxFrameType.Ping, YamuxFlags.Ack, 0u, 0u)]
    [InlineData("000100010000000100000000", YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1u, 0u)]
    [InlineData("000000000000000100000024", YamuxFrameType.Data, YamuxFlags.None, 1u, 36u)]
    [InlineData("000100020000000200000024", YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 2u, 36u)]
    [InlineData("000100040000000200000000", YamuxFrameType.WindowUpdate, YamuxFlags.Fin, 2u, 0u)]
    [InlineData("000100000000000100100196", YamuxFrameType.WindowUpdate, YamuxFlags.None, 1u, 1048982u)]
    [InlineData("000100080000000500000000", YamuxFrameType.WindowUpdate, YamuxFlags.Rst, 5u, 0u)]
    [InlineData("000300000000000000000001", YamuxFrameType.GoAway, YamuxFlags.None, 0u, 1u)]
    public void MatchesTheCapturedBytes(string hex, YamuxFrameType type, YamuxFlags flags, uint streamId, uint length)
    {
        var header = new YamuxHeader(type, flags, streamId, length);
        var bytes = new byte[YamuxHeader.Size];
        header.Write(bytes);
        Assert.Equal(hex, Convert.ToHexStringLower(bytes));
        Assert.Equal(OperationStatus.Done, YamuxHeader.TryRead(Convert.FromHexString(hex), out var decoded, out _));
        Assert.Equal(header, decoded);
    }

    [Property]
    public bool RoundTrips(byte typeSeed, ushort flags, uint streamId, uint length)
    {
        var header = new YamuxHeader((YamuxFrameType)(typeSeed % 4), (YamuxFlags)flags, streamId, length);
        var bytes = new byte[YamuxHeader.Size + 3];
        header.Write(bytes);
        // Split anywhere: the sequence overload must decode the same header from any two segments.
        var split = (int)(length % YamuxHeader.Size);
        var sequence = SequenceOf(bytes[..split], bytes[split..]);
        return YamuxHeader.TryRead(bytes, out var fromSpan, out _) == OperationStatus.Done && fromSpan == header
            && YamuxHeader.TryRead(sequence, out var fromSequence, out _) == OperationStatus.Done && fromSequence == header;
    }

    [Property]
    public bool EveryInputIsAHeaderAnErrorOrNeedsMore(byte[] garbage)
    {
        garbage ??= [];
        var status = YamuxHeader.TryRead(garbage, out _, out var error);
        if (garbage.Length < YamuxHeader.Size)
            return status == OperationStatus.NeedMoreData;
        if (garbage[0] != 0)
            return status == OperationStatus.InvalidData && error == YamuxError.InvalidVersion;
        if (garbage[1] > 3)
            return status == OperationStatus.InvalidData && error == YamuxError.UnknownFrameType;
        return status == OperationStatus.Done;
    }

    private static ReadOnlySequence<byte> SequenceOf(byte[] first, byte[] second)
    {
        var head = new Segment(first, 0);
        var tail = head.Append(second);
        return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
