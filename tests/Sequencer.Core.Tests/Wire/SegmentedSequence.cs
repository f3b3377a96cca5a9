using System.Buffers;

namespace Sequencer.Core.Tests.Wire;

/// <summary>Builds multi-segment sequences, each segment its own array, so a decoder cannot rely on contiguity.</summary>
internal static class SegmentedSequence
{
    /// <summary>Splits <paramref name="data"/> into segments of the given sizes (cycled; zero-size segments included).</summary>
    public static ReadOnlySequence<byte> Create(ReadOnlySpan<byte> data, IReadOnlyList<int> segmentSizes)
    {
        if (segmentSizes.Count == 0 || segmentSizes.All(size => size == 0))
            return new ReadOnlySequence<byte>(data.ToArray());
        Segment? first = null, last = null;
        var offset = 0;
        var i = 0;
        while (offset < data.Length || first is null)
        {
            var size = Math.Min(segmentSizes[i++ % segmentSizes.Count], data.Length - offset);
            var segment = new Segment(data.Slice(offset, size).ToArray());
            offset += size;
            if (last is null)
                first = segment;
            else
                last.Append(segment);
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>One segment per byte: the most fragmented form of <paramref name="data"/>.</summary>
    public static ReadOnlySequence<byte> BytePerSegment(ReadOnlySpan<byte> data) => Create(data, [1]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public void Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
