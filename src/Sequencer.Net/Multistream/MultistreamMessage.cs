using System.Buffers;
using System.Text;
using Sequencer.Core.Formats;

namespace Sequencer.Net.Multistream;

/// <summary>
/// The multistream-select message: an unsigned varint length, then that many bytes — a UTF-8 line whose last byte is
/// '\n' (counted in the length). Parsed from a <see cref="ReadOnlySequence{T}"/> that may hold any prefix of a
/// message (the js side writes the length and the body separately), so an incomplete message is "need more data",
/// never an error, and an over-long one is refused as soon as its length is known.
/// </summary>
internal static class MultistreamMessage
{
    /// <summary>
    /// Reads one message from the start of <paramref name="buffer"/>. On <see cref="OperationStatus.Done"/>,
    /// <paramref name="line"/> is the body without its newline and <paramref name="end"/> the position after the
    /// message; on <see cref="OperationStatus.InvalidData"/>, <paramref name="error"/> says why.
    /// </summary>
    public static OperationStatus TryRead(in ReadOnlySequence<byte> buffer, int maxLength, out ReadOnlySequence<byte> line,
        out SequencePosition end, out MultistreamError error)
    {
        line = default;
        end = buffer.Start;
        error = default;
        var reader = new SequenceReader<byte>(buffer);
        var status = UnsignedVarint.TryRead(ref reader, out var length);
        if (status == OperationStatus.NeedMoreData)
            return status;
        if (status != OperationStatus.Done || length == 0)
        {
            error = MultistreamError.MalformedMessage;
            return OperationStatus.InvalidData;
        }
        if (length > (ulong)maxLength)
        {
            error = MultistreamError.MessageTooLong;
            return OperationStatus.InvalidData;
        }
        if (reader.Remaining < (long)length)
            return OperationStatus.NeedMoreData;

        var body = buffer.Slice(reader.Position, (long)length);
        line = body.Slice(0, body.Length - 1);
        if (!body.Slice(line.End).FirstSpan.StartsWith((byte)'\n'))
        {
            error = MultistreamError.MalformedMessage;
            return OperationStatus.InvalidData;
        }
        end = body.End;
        return OperationStatus.Done;
    }

    /// <summary>Bytes <see cref="Write"/> produces for <paramref name="text"/>.</summary>
    public static int GetEncodedLength(string text)
    {
        var bodyLength = Encoding.UTF8.GetByteCount(text) + 1;
        return UnsignedVarint.GetLength((ulong)bodyLength) + bodyLength;
    }

    public static void Write(IBufferWriter<byte> writer, string text)
    {
        var bodyLength = Encoding.UTF8.GetByteCount(text) + 1;
        var span = writer.GetSpan(UnsignedVarint.MaxLength + bodyLength);
        var written = UnsignedVarint.Write((ulong)bodyLength, span);
        written += Encoding.UTF8.GetBytes(text, span[written..]);
        span[written++] = (byte)'\n';
        writer.Advance(written);
    }
}
