using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Sequencer.Core.Formats;
using Sequencer.Net.Multistream;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="MultistreamMessage.TryRead"/> taking messages off an arbitrary stream until it stops, from one segment
/// and from segments of 1–32 bytes. The first input byte picks the length bound (the default 1024 or a small one, to
/// reach MessageTooLong) and the segment size. Checks, against the length prefix read with the varint codec alone:
/// both forms give the status and error the bytes call for; a refused or incomplete message consumes nothing; a
/// message consumes exactly prefix and body and its line is the body without the final newline; a UTF-8 line writes
/// back to exactly the bytes it came from.
/// </summary>
internal sealed class MultistreamMessageTarget : IFuzzTarget
{
    private static readonly int[] s_maxLengths = [MultistreamOptions.Default.MaxMessageLength, 1, 2, 19, 20, 127, 128, 300];

    public string Name => "multistream-message";

    public IEnumerable<byte[]> Seeds()
    {
        yield return [0x00, .. Encode(MultistreamSelect.ProtocolId), .. Encode("/noise"), .. Encode("na")];
        yield return [0x0B, .. Encode(MultistreamSelect.ProtocolId), .. Encode("ls"), .. Encode("/yamux/1.0.0"), 0x05, (byte)'/'];
        yield return [0x03 | 2 << 3, .. Encode("/ipfs/id/1.0.0"), .. Encode("/meshsub/1.1.0")];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var maxLength = s_maxLengths[input[0] & 7];
        var data = input[1..];
        var whole = new ReadOnlySequence<byte>(data.ToArray());
        var segmented = ChunkedSequence.Create(data, (input[0] >> 3) + 1);
        var output = new ArrayBufferWriter<byte>();
        while (true)
        {
            var expected = Expected(data, maxLength, out var expectedError, out var messageLength);
            var status = MultistreamMessage.TryRead(whole, maxLength, out var line, out var end, out var error);
            var segmentedStatus = MultistreamMessage.TryRead(segmented, maxLength, out var segmentedLine, out var segmentedEnd,
                out var segmentedError);
            ThrowIf(status != expected || segmentedStatus != expected,
                $"{status} from one segment, {segmentedStatus} from several; the bytes call for {expected} "
                + $"({Convert.ToHexString(data[..Math.Min(data.Length, 12)])}…)");
            if (status != OperationStatus.Done)
            {
                ThrowIf(!end.Equals(whole.Start) || !segmentedEnd.Equals(segmented.Start), "a message that was not read consumed input");
                ThrowIf(status == OperationStatus.InvalidData && (error != expectedError || segmentedError != expectedError),
                    $"refused with {error} and {segmentedError}; the bytes call for {expectedError}");
                return;
            }
            ThrowIf(whole.Slice(0, end).Length != messageLength || segmented.Slice(0, segmentedEnd).Length != messageLength,
                "a message consumed other than its prefix and body");
            var lineBytes = line.ToArray();
            ThrowIf(!lineBytes.AsSpan().SequenceEqual(segmentedLine.ToArray()), "the line differs by segmentation");
            ThrowIf(!lineBytes.AsSpan().SequenceEqual(data[(messageLength - lineBytes.Length - 1)..(messageLength - 1)]),
                "the line is not the body without its newline");
            if (Utf8.IsValid(lineBytes))
            {
                var text = Encoding.UTF8.GetString(lineBytes);
                output.Clear();
                MultistreamMessage.Write(output, text);
                ThrowIf(!output.WrittenSpan.SequenceEqual(data[..messageLength]), $"'{text}' writes back to different bytes");
                ThrowIf(MultistreamMessage.GetEncodedLength(text) != messageLength, "the encoded length differs from the encoding");
            }
            data = data[messageLength..];
            whole = whole.Slice(end);
            segmented = segmented.Slice(segmentedEnd);
        }
    }

    /// <summary>What the message at the start of <paramref name="data"/> calls for, read with the varint codec alone.</summary>
    private static OperationStatus Expected(ReadOnlySpan<byte> data, int maxLength, out MultistreamError error, out int messageLength)
    {
        error = default;
        messageLength = 0;
        var status = UnsignedVarint.TryRead(data, out var length, out var prefixLength);
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
        if ((ulong)(data.Length - prefixLength) < length)
            return OperationStatus.NeedMoreData;
        messageLength = prefixLength + (int)length;
        if (data[messageLength - 1] != (byte)'\n')
        {
            error = MultistreamError.MalformedMessage;
            return OperationStatus.InvalidData;
        }
        return OperationStatus.Done;
    }

    internal static byte[] Encode(string text)
    {
        var output = new ArrayBufferWriter<byte>();
        MultistreamMessage.Write(output, text);
        return output.WrittenSpan.ToArray();
    }
}
