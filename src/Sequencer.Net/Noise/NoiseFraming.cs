using System.Buffers;
using System.Buffers.Binary;

namespace Sequencer.Net.Noise;

/// <summary>
/// libp2p's Noise framing: every message, handshake or transport, is a u16 big-endian length followed by that many
/// bytes (so at most 65535). A frame may arrive split anywhere across reads — js-libp2p even writes the length and the
/// body separately — so lengths are read from a sequence, never assumed to sit in one segment.
/// </summary>
internal static class NoiseFraming
{
    public const int LengthPrefixSize = 2;
    public const int MaxMessageSize = ushort.MaxValue;

    /// <summary>The length of the frame at the start of <paramref name="buffer"/>, if its 2-byte prefix has arrived.</summary>
    public static bool TryReadLength(in ReadOnlySequence<byte> buffer, out int length)
    {
        length = 0;
        if (buffer.Length < LengthPrefixSize)
            return false;
        var first = buffer.FirstSpan;
        if (first.Length >= LengthPrefixSize)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(first);
            return true;
        }
        Span<byte> prefix = stackalloc byte[LengthPrefixSize];
        buffer.Slice(0, LengthPrefixSize).CopyTo(prefix);
        length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        return true;
    }

    public static void WriteLength(Span<byte> destination, int length) =>
        BinaryPrimitives.WriteUInt16BigEndian(destination, checked((ushort)length));
}
