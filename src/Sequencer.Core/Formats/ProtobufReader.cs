namespace Sequencer.Core.Formats;

/// <summary>
/// A forward-only protocol-buffers reader over a span: the schema lives in the caller's switch on field numbers, so
/// decoding allocates nothing and length-delimited fields come back as slices of the input. The first error sticks:
/// every later call returns false and <see cref="Error"/> says what went wrong and <see cref="Position"/> where.
/// </summary>
/// <example><code>
/// var reader = new ProtobufReader(bytes);
/// while (reader.TryReadTag(out var field, out var wireType))
///     switch (field) { case 1: reader.TryReadVarint(wireType, out type); break; default: reader.TrySkip(wireType); break; }
/// if (reader.Error != ProtobufError.None) …
/// </code></example>
public ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    private ProtobufError _error;

    /// <summary>The error of the first failed call, or <see cref="ProtobufError.None"/>.</summary>
    public readonly ProtobufError Error => _error;

    /// <summary>Bytes consumed so far: where the error is when <see cref="Error"/> is set.</summary>
    public readonly int Position => _position;

    public readonly bool IsAtEnd => _position == _data.Length;

    /// <summary>Reads the next field's tag; false at the end of the input (check <see cref="Error"/>) or on an invalid tag.</summary>
    public bool TryReadTag(out int fieldNumber, out ProtobufWireType wireType)
    {
        fieldNumber = 0;
        wireType = default;
        if (_error != ProtobufError.None || IsAtEnd)
            return false;
        if (!TryReadRawVarint(out var tag))
            return false;
        var number = tag >> 3;
        var type = (int)(tag & 7);
        if (number == 0 || number > int.MaxValue || type is 3 or 4 or 6 or 7)
            return Fail(ProtobufError.InvalidTag);
        fieldNumber = (int)number;
        wireType = (ProtobufWireType)type;
        return true;
    }

    public bool TryReadVarint(ProtobufWireType wireType, out ulong value)
    {
        value = 0;
        if (!Expect(wireType, ProtobufWireType.Varint))
            return false;
        return TryReadRawVarint(out value);
    }

    public bool TryReadBytes(ProtobufWireType wireType, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!Expect(wireType, ProtobufWireType.LengthDelimited) || !TryReadRawVarint(out var length))
            return false;
        if (length > (ulong)(_data.Length - _position))
            return Fail(ProtobufError.LengthOutOfRange);
        value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    /// <summary>Skips a field of any accepted wire type (unknown fields are ignored, as protobuf requires).</summary>
    public bool TrySkip(ProtobufWireType wireType)
    {
        if (_error != ProtobufError.None)
            return false;
        switch (wireType)
        {
            case ProtobufWireType.Varint:
                return TryReadRawVarint(out _);
            case ProtobufWireType.LengthDelimited:
                return TryReadBytes(wireType, out _);
            case ProtobufWireType.Fixed64:
                return TryAdvance(8);
            case ProtobufWireType.Fixed32:
                return TryAdvance(4);
            default:
                return Fail(ProtobufError.InvalidTag);
        }
    }

    private bool TryAdvance(int count)
    {
        if (_data.Length - _position < count)
            return Fail(ProtobufError.Truncated);
        _position += count;
        return true;
    }

    private bool Expect(ProtobufWireType actual, ProtobufWireType expected)
    {
        if (_error != ProtobufError.None)
            return false;
        return actual == expected || Fail(ProtobufError.WrongWireType);
    }

    private bool TryReadRawVarint(out ulong value)
    {
        value = 0;
        for (var i = 0; i < 10; i++)
        {
            if (_position == _data.Length)
                return Fail(ProtobufError.Truncated);
            var b = _data[_position++];
            // The 10th byte may only carry the 64th bit.
            if (i == 9 && b > 1)
                return Fail(ProtobufError.MalformedVarint);
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
                return true;
        }
        return Fail(ProtobufError.MalformedVarint);
    }

    private bool Fail(ProtobufError error)
    {
        if (_error == ProtobufError.None)
            _error = error;
        return false;
    }
}
