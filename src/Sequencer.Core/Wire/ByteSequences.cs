using System.Buffers;

namespace Sequencer.Core.Wire;

/// <summary>Content comparison of byte sequences whose segment boundaries may differ.</summary>
internal static class ByteSequences
{
    public static bool ContentEquals(in ReadOnlySequence<byte> left, in ReadOnlySequence<byte> right)
    {
        if (left.Length != right.Length)
            return false;
        if (left.IsSingleSegment && right.IsSingleSegment)
            return left.FirstSpan.SequenceEqual(right.FirstSpan);
        var rightReader = new SequenceReader<byte>(right);
        foreach (var segment in left)
        {
            if (!rightReader.IsNext(segment.Span, advancePast: true))
                return false;
        }
        return true;
    }
}
