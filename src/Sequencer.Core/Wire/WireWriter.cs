using System.Buffers.Binary;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// Big-endian fixed-width writes into a span sized beforehand (every message knows its encoded length). Used both for
/// wire encodings and for the signing encodings that digests are computed over.
/// </summary>
internal ref struct WireWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public WireWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly ReadOnlySpan<byte> Written => _destination[.._position];

    public void WriteHeader(WireMessageType type)
    {
        WriteByte(WireVersion.Current);
        WriteByte((byte)type);
    }

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_destination[_position..], value);
        _position += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_destination[_position..], value);
        _position += 8;
    }

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }

    public void WriteRound(in RoundId round)
    {
        WriteUInt64(round.ChainId);
        WriteUInt64(round.Height);
        Write(round.BlockHash.AsReadOnlySpan());
    }
}
