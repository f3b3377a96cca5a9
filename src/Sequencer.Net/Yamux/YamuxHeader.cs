using System.Buffers;
using System.Buffers.Binary;

namespace Sequencer.Net.Yamux;

/// <summary>
/// The 12-byte yamux frame header, big endian: version (u8, always 0) | type (u8) | flags (u16) | stream id (u32) |
/// length (u32). Decoding checks version and type, nothing that needs session state.
/// </summary>
internal readonly record struct YamuxHeader(YamuxFrameType Type, YamuxFlags Flags, uint StreamId, uint Length)
{
    public const int Size = 12;
    public const byte ProtocolVersion = 0;

    public void Write(Span<byte> destination)
    {
        destination[0] = ProtocolVersion;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>
    /// Decodes the header at the start of <paramref name="source"/>: <see cref="OperationStatus.NeedMoreData"/> when
    /// fewer than 12 bytes are there, <see cref="OperationStatus.InvalidData"/> with <paramref name="error"/> for a bad
    /// version or type.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out YamuxHeader header, out YamuxError error)
    {
        header = default;
        error = default;
        if (source.Length < Size)
            return OperationStatus.NeedMoreData;
        if (source[0] != ProtocolVersion)
        {
            error = YamuxError.InvalidVersion;
            return OperationStatus.InvalidData;
        }
        if (source[1] > (byte)YamuxFrameType.GoAway)
        {
            error = YamuxError.UnknownFrameType;
            return OperationStatus.InvalidData;
        }
        header = new YamuxHeader(
            (YamuxFrameType)source[1],
            (YamuxFlags)BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
        return OperationStatus.Done;
    }

    public static OperationStatus TryRead(in ReadOnlySequence<byte> source, out YamuxHeader header, out YamuxError error)
    {
        if (source.FirstSpan.Length >= Size)
            return TryRead(source.FirstSpan, out header, out error);
        Span<byte> copy = stackalloc byte[Size];
        var available = (int)Math.Min(source.Length, Size);
        source.Slice(0, available).CopyTo(copy);
        return TryRead(copy[..available], out header, out error);
    }

    public override string ToString() => $"{Type} flags={Flags} stream={StreamId} length={Length}";
}
