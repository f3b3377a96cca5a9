using System.Buffers;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>Builds multi-segment sequences, the shape pipe buffers take when a frame straddles reads.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Append(data.Length).ToArray();
        Segment? first = null, last = null;
        var start = 0;
        foreach (var end in bounds)
        {
            var segment = new Segment(data.AsMemory(start, end - start), last);
            first ??= segment;
            last = segment;
            start = end;
        }
        if (first is null)
            return ReadOnlySequence<byte>.Empty;
        return new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
