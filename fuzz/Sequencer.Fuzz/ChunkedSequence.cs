using System.Buffers;

namespace Sequencer.Fuzz;

/// <summary>
/// Builds a multi-segment <see cref="ReadOnlySequence{T}"/> so decoders that read from sequences meet values split
/// across segment boundaries, as they do when a pipe hands over data in the pieces the socket delivered.
/// </summary>
internal static class ChunkedSequence
{
    /// <summary>Copies <paramref name="data"/> into segments of <paramref name="chunkLength"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Create(ReadOnlySpan<byte> data, int chunkLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkLength, 1);
        if (data.Length <= chunkLength)
            return new ReadOnlySequence<byte>(data.ToArray());

        var first = new Segment(data[..chunkLength].ToArray(), 0);
        var last = first;
        for (var offset = chunkLength; offset < data.Length; offset += chunkLength)
        {
            var length = Math.Min(chunkLength, data.Length - offset);
            last = last.Append(data.Slice(offset, length).ToArray());
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
