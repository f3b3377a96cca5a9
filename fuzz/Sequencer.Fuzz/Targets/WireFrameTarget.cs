using System.Buffers;
using Sequencer.Core.Formats;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="WireFrame.TryReadFrame"/> reading frames off an arbitrary stream until it stops. The first input byte
/// picks the payload bound (the default or a small one, to reach TooLarge) and the segment size; the rest is the
/// stream. Checks, against the length prefix read independently: every status is the one the prefix calls for
/// (TooLarge as soon as even the buffered part of a prefix exceeds the bound); anything but Complete consumes
/// nothing; a frame consumes exactly prefix plus payload and writes back to the same bytes; one segment and several
/// read alike.
/// </summary>
internal sealed class WireFrameTarget : IFuzzTarget
{
    private static readonly int[] s_payloadBounds = [WireFrame.DefaultMaxPayloadLength, 0, 1, 127, 128, 300, 16_383, 16_384];

    public string Name => "wire-frame";

    public IEnumerable<byte[]> Seeds()
    {
        // Two frames under the default bound: a vote-sized payload and an empty one.
        var output = new ArrayBufferWriter<byte>();
        output.Write((ReadOnlySpan<byte>)[0x00]);
        WireFrame.WriteFrame(output, new byte[151]);
        WireFrame.WriteFrame(output, []);
        yield return output.WrittenSpan.ToArray();
        // A frame over a bound of 127, then a prefix announcing more than is there.
        yield return [0x03, 0x7F, .. new byte[127], 0x05, 0x01];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var maxPayloadLength = s_payloadBounds[input[0] & 7];
        var stream = input[1..];
        var whole = new ReadOnlySequence<byte>(stream.ToArray());
        var segmented = ChunkedSequence.Create(stream, 1 + (input[0] >> 3));
        var offset = 0;
        var output = new ArrayBufferWriter<byte>();
        while (true)
        {
            var rest = stream[offset..];
            var status = WireFrame.TryReadFrame(ref whole, out var payload, maxPayloadLength);
            var segmentedStatus = WireFrame.TryReadFrame(ref segmented, out var segmentedPayload, maxPayloadLength);
            var expected = ExpectedStatus(rest, maxPayloadLength, out var frameLength);
            if (status != expected || segmentedStatus != expected)
                throw new ContractViolationException(
                    $"frame at offset {offset}: {status} in one segment, {segmentedStatus} in several; the prefix calls for {expected}");
            if (status != FrameReadStatus.Complete)
            {
                ThrowIf(whole.Length != rest.Length || segmented.Length != rest.Length, "an incomplete frame consumed input");
                return;
            }
            ThrowIf(whole.Length != rest.Length - frameLength || segmented.Length != whole.Length,
                "a frame consumed other than its prefix and payload");
            ThrowIf(payload.Length > maxPayloadLength, "a payload beyond the bound was returned");
            ThrowIf(!payload.ToArray().AsSpan().SequenceEqual(segmentedPayload.ToArray()), "payloads differ by segmentation");

            output.Clear();
            WireFrame.WriteFrame(output, payload.ToArray(), maxPayloadLength);
            ThrowIf(!output.WrittenSpan.SequenceEqual(rest[..frameLength]), "a frame writes back to different bytes");
            offset += frameLength;
        }
    }

    /// <summary>What the prefix at the start of <paramref name="rest"/> calls for, read with the varint codec alone.</summary>
    private static FrameReadStatus ExpectedStatus(ReadOnlySpan<byte> rest, int maxPayloadLength, out int frameLength)
    {
        frameLength = 0;
        switch (UnsignedVarint.TryRead(rest, out var length, out var prefixLength))
        {
            case OperationStatus.InvalidData:
                return FrameReadStatus.MalformedLength;
            case OperationStatus.NeedMoreData:
                // n continuation bytes already promise a length of at least 2^(7n): a minimal varint ends in a non-zero byte.
                return rest.Length > 0 && (1L << (7 * rest.Length)) > maxPayloadLength
                    ? FrameReadStatus.TooLarge
                    : FrameReadStatus.NeedMoreData;
        }
        if (length > (ulong)maxPayloadLength)
            return FrameReadStatus.TooLarge;
        if ((ulong)(rest.Length - prefixLength) < length)
            return FrameReadStatus.NeedMoreData;
        frameLength = prefixLength + (int)length;
        return FrameReadStatus.Complete;
    }
}
