using System.Buffers;

namespace Sequencer.Core.Formats;

/// <summary>
/// The multiformats unsigned varint (LEB128) that frames libp2p's length prefixes, multistream-select lines and the
/// sequencer's own frames. Unlike protobuf's varint the spec demands the minimal encoding and at most 9 bytes (63 bits),
/// so a peer cannot make us scan an unbounded run of continuation bytes or give one value two encodings.
/// </summary>
public static class UnsignedVarint
{
    public const int MaxLength = 9;
    public const ulong MaxValue = (1UL << 63) - 1;

    public static int GetLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    /// <summary>Writes <paramref name="value"/> and returns the number of bytes written.</summary>
    public static int Write(ulong value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxValue);
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static void Write(ulong value, IBufferWriter<byte> writer)
    {
        var span = writer.GetSpan(MaxLength);
        writer.Advance(Write(value, span));
    }

    /// <summary>
    /// Reads a varint from the start of <paramref name="source"/>. <see cref="OperationStatus.NeedMoreData"/> when the
    /// span ends inside a valid prefix; <see cref="OperationStatus.InvalidData"/> for a non-minimal or over-long encoding.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (i == source.Length)
                return OperationStatus.NeedMoreData;
            var b = source[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                // A last byte of 0 after the first one is a non-minimal encoding (the value fits in fewer bytes).
                if (b == 0 && i > 0)
                    return OperationStatus.InvalidData;
                consumed = i + 1;
                return OperationStatus.Done;
            }
        }
        value = 0;
        return OperationStatus.InvalidData;
    }

    /// <summary>Reads a varint from <paramref name="reader"/>, advancing it only when the result is Done.</summary>
    public static OperationStatus TryRead(ref SequenceReader<byte> reader, out ulong value)
    {
        Span<byte> prefix = stackalloc byte[MaxLength];
        var available = (int)Math.Min(reader.Remaining, MaxLength);
        reader.TryCopyTo(prefix[..available]);
        var status = TryRead(prefix[..available], out value, out var consumed);
        if (status == OperationStatus.Done)
            reader.Advance(consumed);
        return status;
    }
}
