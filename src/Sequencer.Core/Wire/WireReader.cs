using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// Big-endian fixed-width reads over a possibly multi-segment sequence. Each read either succeeds whole or leaves
/// the position where it was and returns false; the caller turns false into <see cref="WireError.Truncated"/> for the
/// field it was reading.
/// </summary>
internal ref struct WireReader
{
    private SequenceReader<byte> _reader;

    public WireReader(ReadOnlySequence<byte> input) => _reader = new SequenceReader<byte>(input);

    public readonly bool End => _reader.End;

    public readonly long Remaining => _reader.Remaining;

    /// <summary>Reads the version and type bytes and checks them against the decoder's own type.</summary>
    public WireResult ReadHeader(WireMessageType expected)
    {
        if (!_reader.TryRead(out var version))
            return WireResult.Truncated(WireField.Version);
        if (version != WireVersion.Current)
            return new WireResult(WireError.UnsupportedVersion, WireField.Version);
        if (!_reader.TryRead(out var type))
            return WireResult.Truncated(WireField.MessageType);
        if (type == (byte)expected)
            return WireResult.Ok;
        return ((WireMessageType)type).IsDefined()
            ? new WireResult(WireError.UnexpectedMessageType, WireField.MessageType)
            : new WireResult(WireError.UnknownMessageType, WireField.MessageType);
    }

    public bool TryReadByte(out byte value) => _reader.TryRead(out value);

    public bool TryReadUInt16(out ushort value)
    {
        var ok = _reader.TryReadBigEndian(out short raw);
        value = (ushort)raw;
        return ok;
    }

    public bool TryReadUInt32(out uint value)
    {
        var ok = _reader.TryReadBigEndian(out int raw);
        value = (uint)raw;
        return ok;
    }

    public bool TryReadUInt64(out ulong value)
    {
        var ok = _reader.TryReadBigEndian(out long raw);
        value = (ulong)raw;
        return ok;
    }

    public bool TryRead(scoped Span<byte> destination)
    {
        if (!_reader.TryCopyTo(destination))
            return false;
        _reader.Advance(destination.Length);
        return true;
    }

    public bool TryReadRound(out RoundId round)
    {
        var hash = default(Hash32);
        if (_reader.Remaining < RoundId.EncodedLength
            || !TryReadUInt64(out var chainId) || !TryReadUInt64(out var height) || !TryRead(hash))
        {
            round = default;
            return false;
        }
        round = new RoundId(chainId, height, hash);
        return true;
    }

    /// <summary>Borrows the next <paramref name="length"/> bytes of the input without copying them.</summary>
    public bool TryReadSlice(int length, out ReadOnlySequence<byte> slice)
    {
        if (_reader.Remaining < length)
        {
            slice = default;
            return false;
        }
        slice = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return true;
    }

    /// <summary>The closing check of every decoder: one input holds exactly one message.</summary>
    public readonly WireResult ExpectEnd() =>
        _reader.End ? WireResult.Ok : new WireResult(WireError.TrailingBytes, WireField.None);
}
