using System.Buffers;
using Sequencer.Core.Formats;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="UnsignedVarint"/> reading a run of varints both from a span and through a <see cref="SequenceReader{T}"/>
/// over segments of 1–8 bytes (the first input byte picks the size). Checks: both paths give the same status, value
/// and length; a failure consumes nothing; NeedMoreData only for a short run of continuation bytes; a value read
/// writes back to exactly the bytes it came from (the encoding is minimal, so it is unique).
/// </summary>
internal sealed class UnsignedVarintTarget : IFuzzTarget
{
    public string Name => "unsigned-varint";

    public IEnumerable<byte[]> Seeds()
    {
        yield return [0x00, 0x00];
        yield return [0x01, 0xAC, 0x02];
        yield return [0x02, 0x7F, 0x80, 0x01, 0xFF, 0xFF, 0x03];
        // The largest value, 2^63 - 1, in the longest encoding the spec allows.
        yield return [0x07, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            ThrowIf(UnsignedVarint.TryRead(input, out _, out _) != OperationStatus.NeedMoreData, "empty input is not NeedMoreData");
            return;
        }
        var data = input[1..];
        var reader = new SequenceReader<byte>(ChunkedSequence.Create(data, input[0] % 8 + 1));
        Span<byte> rewritten = stackalloc byte[UnsignedVarint.MaxLength];
        var offset = 0;
        while (true)
        {
            var rest = data[offset..];
            var status = UnsignedVarint.TryRead(rest, out var value, out var consumed);
            var before = reader.Consumed;
            var sequenceStatus = UnsignedVarint.TryRead(ref reader, out var sequenceValue);
            ThrowIf(sequenceStatus != status, "the span and sequence readers return different statuses");
            if (status != OperationStatus.Done)
            {
                ThrowIf(status is not (OperationStatus.NeedMoreData or OperationStatus.InvalidData), "an unexpected status");
                ThrowIf(consumed != 0 || reader.Consumed != before, "a failed read consumed input");
                ThrowIf((status == OperationStatus.NeedMoreData) != IsTruncatedPrefix(rest),
                    "NeedMoreData is not exactly a run of fewer than 9 continuation bytes");
                return;
            }
            ThrowIf(sequenceValue != value || reader.Consumed - before != consumed,
                "the span and sequence readers read different varints");
            ThrowIf(value > UnsignedVarint.MaxValue, "a value above 2^63 - 1 was accepted");
            ThrowIf(consumed != UnsignedVarint.GetLength(value), "a non-minimal encoding was accepted");

            var written = UnsignedVarint.Write(value, rewritten);
            ThrowIf(!rewritten[..written].SequenceEqual(rest[..consumed]), "the value writes back to different bytes");
            var bufferWriter = new ArrayBufferWriter<byte>(UnsignedVarint.MaxLength);
            UnsignedVarint.Write(value, bufferWriter);
            ThrowIf(!bufferWriter.WrittenSpan.SequenceEqual(rest[..consumed]), "the IBufferWriter path writes different bytes");
            offset += consumed;
        }
    }

    private static bool IsTruncatedPrefix(ReadOnlySpan<byte> rest)
    {
        if (rest.Length >= UnsignedVarint.MaxLength)
            return false;
        foreach (var b in rest)
        {
            if (b < 0x80)
                return false;
        }
        return true;
    }
}
