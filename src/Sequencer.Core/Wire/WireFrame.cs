using System.Buffers;
using Sequencer.Core.Formats;

namespace Sequencer.Core.Wire;

/// <summary>
/// Framing on the sequencer's direct streams (<c>/jmzk/sequencer/&lt;name&gt;/1.0.0</c>): an unsigned-varint length
/// (multiformats, minimal, as libp2p frames everything) followed by one message. The length is checked against a
/// bound before any payload is awaited, so a peer cannot make a reader buffer more than the largest legal message —
/// the original read up to a delimiter with no limit at all (§9.4.8).
/// </summary>
public static class WireFrame
{
    /// <summary>The largest legal message of any type.</summary>
    public const int DefaultMaxPayloadLength = WireLimits.MaxMessageLength;

    /// <summary>
    /// Consumes exactly one frame from the start of <paramref name="buffer"/> and returns its payload (a slice of the
    /// buffer, valid while the buffer is), or consumes nothing. On anything but <see cref="FrameReadStatus.Complete"/>
    /// <paramref name="buffer"/> is unchanged.
    /// </summary>
    public static FrameReadStatus TryReadFrame(
        ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload,
        int maxPayloadLength = DefaultMaxPayloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayloadLength);
        payload = default;
        var reader = new SequenceReader<byte>(buffer);
        switch (UnsignedVarint.TryRead(ref reader, out var length))
        {
            case OperationStatus.Done:
                break;
            case OperationStatus.NeedMoreData:
                return PrefixAlreadyTooLarge(buffer.Length, maxPayloadLength)
                    ? FrameReadStatus.TooLarge
                    : FrameReadStatus.NeedMoreData;
            default:
                return FrameReadStatus.MalformedLength;
        }
        if (length > (ulong)maxPayloadLength)
            return FrameReadStatus.TooLarge;
        if (reader.Remaining < (long)length)
            return FrameReadStatus.NeedMoreData;
        payload = reader.UnreadSequence.Slice(0, (long)length);
        buffer = buffer.Slice(payload.End);
        return FrameReadStatus.Complete;
    }

    /// <summary>Writes the length prefix of a frame whose payload (written next) is <paramref name="payloadLength"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or above the bound.</exception>
    public static void WriteLengthPrefix(
        IBufferWriter<byte> output, int payloadLength, int maxPayloadLength = DefaultMaxPayloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, maxPayloadLength);
        UnsignedVarint.Write((ulong)payloadLength, output);
    }

    /// <summary>Writes one whole frame around an already encoded payload.</summary>
    public static void WriteFrame(
        IBufferWriter<byte> output, ReadOnlySpan<byte> payload, int maxPayloadLength = DefaultMaxPayloadLength)
    {
        WriteLengthPrefix(output, payload.Length, maxPayloadLength);
        output.Write(payload);
    }

    /// <summary>
    /// A prefix still missing its last byte already has n continuation bytes, so its value is at least 2^(7n) (a
    /// minimal varint never ends in a zero byte). Refusing as soon as that exceeds the bound means even the prefix
    /// cannot be used to hold a reader waiting.
    /// </summary>
    private static bool PrefixAlreadyTooLarge(long bufferedPrefixBytes, int maxPayloadLength)
    {
        var continuationBytes = (int)Math.Min(bufferedPrefixBytes, UnsignedVarint.MaxLength);
        if (continuationBytes == 0)
            return false;
        var bits = 7 * continuationBytes;
        return bits >= 63 || (1UL << bits) > (ulong)maxPayloadLength;
    }
}
