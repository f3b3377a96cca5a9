using System.Buffers;
using Sequencer.Net.Yamux;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="YamuxHeader.TryRead(ReadOnlySpan{byte}, out YamuxHeader, out YamuxError)"/> on a run of 12-byte
/// headers, from a span and from a sequence cut into segments of 1–16 bytes (the first input byte picks the size).
/// Checks: both forms agree on status, header and error; NeedMoreData exactly below 12 bytes; InvalidVersion exactly
/// for a version byte other than 0 and UnknownFrameType for a type above 3; a header read writes back to exactly its
/// 12 bytes (every field is kept whole, so the encoding is unique).
/// </summary>
internal sealed class YamuxHeaderTarget : IFuzzTarget
{
    public string Name => "yamux-header";

    public IEnumerable<byte[]> Seeds()
    {
        yield return [0x03, .. Header(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0), .. Header(YamuxFrameType.Data, YamuxFlags.Fin, 1, 5)];
        yield return [0x0B, .. Header(YamuxFrameType.Ping, YamuxFlags.Ack, 0, 0xDEADBEEF), .. Header(YamuxFrameType.GoAway, 0, 0, 1), 0x00, 0x01];
        yield return [0x00, .. Header(YamuxFrameType.WindowUpdate, YamuxFlags.Rst | (YamuxFlags)0x8000, uint.MaxValue, uint.MaxValue)];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var data = input[1..];
        var sequence = ChunkedSequence.Create(data, input[0] % 16 + 1);
        Span<byte> rewritten = stackalloc byte[YamuxHeader.Size];
        while (true)
        {
            var status = YamuxHeader.TryRead(data, out var header, out var error);
            var sequenceStatus = YamuxHeader.TryRead(sequence, out var sequenceHeader, out var sequenceError);
            ThrowIf(status != sequenceStatus || header != sequenceHeader || error != sequenceError,
                $"span and sequence disagree: {status} {header} {error} against {sequenceStatus} {sequenceHeader} {sequenceError}");
            var expected = data.Length < YamuxHeader.Size ? OperationStatus.NeedMoreData
                : data[0] != YamuxHeader.ProtocolVersion || data[1] > (byte)YamuxFrameType.GoAway ? OperationStatus.InvalidData
                : OperationStatus.Done;
            ThrowIf(status != expected, $"{status} where the bytes call for {expected}");
            if (status == OperationStatus.NeedMoreData)
                return;
            if (status == OperationStatus.InvalidData)
            {
                var expectedError = data[0] != YamuxHeader.ProtocolVersion ? YamuxError.InvalidVersion : YamuxError.UnknownFrameType;
                ThrowIf(error != expectedError, $"a bad header refused with {error}, not {expectedError}");
                return;
            }
            header.Write(rewritten);
            ThrowIf(!rewritten.SequenceEqual(data[..YamuxHeader.Size]), $"{header} writes back to different bytes");
            data = data[YamuxHeader.Size..];
            sequence = sequence.Slice(YamuxHeader.Size);
        }
    }

    internal static byte[] Header(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length)
    {
        var bytes = new byte[YamuxHeader.Size];
        new YamuxHeader(type, flags, streamId, length).Write(bytes);
        return bytes;
    }
}
