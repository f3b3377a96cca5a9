namespace Sequencer.Core.Formats;

/// <summary>
/// Writes protocol-buffers fields into a caller-provided span (size it with the <c>Get…Size</c> helpers first), so
/// encoding allocates nothing. Fields are written in the order called: write them in field-number order to produce
/// the canonical encoding other implementations sign and hash.
/// </summary>
public ref struct ProtobufWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _written;

    public readonly int Written => _written;

    public readonly ReadOnlySpan<byte> WrittenSpan => _destination[.._written];

    public static int GetVarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int GetVarintFieldSize(int fieldNumber, ulong value) =>
        GetVarintSize((ulong)fieldNumber << 3) + GetVarintSize(value);

    public static int GetBytesFieldSize(int fieldNumber, int length) =>
        GetVarintSize((ulong)fieldNumber << 3) + GetVarintSize((ulong)length) + length;

    public void WriteVarintField(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, ProtobufWireType.Varint);
        WriteRawVarint(value);
    }

    public void WriteBytesField(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteBytesFieldHeader(fieldNumber, value.Length);
        value.CopyTo(_destination[_written..]);
        _written += value.Length;
    }

    /// <summary>Writes the tag and length of a nested message or bytes field whose content the caller writes next.</summary>
    public void WriteBytesFieldHeader(int fieldNumber, int length)
    {
        WriteTag(fieldNumber, ProtobufWireType.LengthDelimited);
        WriteRawVarint((ulong)length);
    }

    /// <summary>Raw bytes after a <see cref="WriteBytesFieldHeader"/>.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_destination[_written..]);
        _written += value.Length;
    }

    private void WriteTag(int fieldNumber, ProtobufWireType wireType) =>
        WriteRawVarint(((ulong)fieldNumber << 3) | (uint)wireType);

    private void WriteRawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _destination[_written++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _destination[_written++] = (byte)value;
    }
}
