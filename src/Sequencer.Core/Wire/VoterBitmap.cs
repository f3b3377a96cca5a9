using System.Buffers;
using System.Numerics;

namespace Sequencer.Core.Wire;

/// <summary>
/// A set of validator indices as a bitmap: index i is bit (i mod 8) of byte i / 8. On the wire the bitmap is minimal —
/// its last byte is non-zero — so one set has one encoding, and it spans at most 8 KiB
/// (<see cref="WireLimits.MaxVoterBitmapLength"/>). A decoded bitmap borrows the input buffer; the static helpers
/// work on bitmaps the caller owns.
/// </summary>
public readonly struct VoterBitmap : IEquatable<VoterBitmap>
{
    private readonly ReadOnlySequence<byte> _bytes;

    /// <summary>A view over <paramref name="bytes"/>; trailing zero bytes are allowed here and dropped on encoding.</summary>
    public VoterBitmap(ReadOnlySequence<byte> bytes) => _bytes = bytes;

    public VoterBitmap(ReadOnlyMemory<byte> bytes) => _bytes = new ReadOnlySequence<byte>(bytes);

    public ReadOnlySequence<byte> Bytes => _bytes;

    /// <summary>The length of the minimal encoding: up to and including the last non-zero byte.</summary>
    public int MinimalLength
    {
        get
        {
            var length = 0;
            var offset = 0;
            foreach (var segment in _bytes)
            {
                var last = segment.Span.LastIndexOfAnyExcept((byte)0);
                if (last >= 0)
                    length = offset + last + 1;
                offset += segment.Length;
            }
            return length;
        }
    }

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var segment in _bytes)
            {
                foreach (var b in segment.Span)
                    count += BitOperations.PopCount(b);
            }
            return count;
        }
    }

    public bool Contains(uint index)
    {
        var byteIndex = index / 8;
        if (byteIndex >= _bytes.Length)
            return false;
        var b = _bytes.Slice(byteIndex, 1).FirstSpan[0];
        return (b & (1 << (int)(index % 8))) != 0;
    }

    /// <summary>Copies the bitmap bytes to <paramref name="destination"/> (which must hold <see cref="Bytes"/>).</summary>
    public void CopyTo(Span<byte> destination) => _bytes.CopyTo(destination);

    /// <summary>The set indices in ascending order.</summary>
    public Enumerator GetEnumerator() => new(_bytes);

    public static int GetByteLength(int validatorCount) => (validatorCount + 7) / 8;

    public static void Set(Span<byte> bitmap, uint index) => bitmap[(int)(index / 8)] |= (byte)(1 << (int)(index % 8));

    public static bool IsSet(ReadOnlySpan<byte> bitmap, uint index) =>
        index / 8 < (uint)bitmap.Length && (bitmap[(int)(index / 8)] & (1 << (int)(index % 8))) != 0;

    /// <summary>Wire form: length u16 BE ‖ the minimal bitmap bytes.</summary>
    internal int EncodedLength => 2 + MinimalLength;

    internal void Write(ref WireWriter writer)
    {
        var length = MinimalLength;
        writer.WriteUInt16((ushort)length);
        foreach (var segment in _bytes.Slice(0, length))
            writer.Write(segment.Span);
    }

    /// <summary>Reads the wire form; errors name <paramref name="lengthField"/> or <paramref name="bitmapField"/>.</summary>
    internal static WireResult Read(ref WireReader reader, WireField lengthField, WireField bitmapField, out VoterBitmap bitmap)
    {
        bitmap = default;
        if (!reader.TryReadUInt16(out var length))
            return WireResult.Truncated(lengthField);
        if (length > WireLimits.MaxVoterBitmapLength)
            return WireResult.TooLarge(lengthField);
        if (!reader.TryReadSlice(length, out var bytes))
            return WireResult.Truncated(bitmapField);
        bitmap = new VoterBitmap(bytes);
        return bitmap.IsMinimal ? WireResult.Ok : WireResult.Invalid(bitmapField);
    }

    /// <summary>Whether the bytes end in a non-zero byte (or are empty): the only form a decoder accepts.</summary>
    internal bool IsMinimal => MinimalLength == _bytes.Length;

    /// <summary>Same set of indices, whatever the trailing zero bytes.</summary>
    public bool Equals(VoterBitmap other)
    {
        var length = MinimalLength;
        return length == other.MinimalLength
            && ByteSequences.ContentEquals(_bytes.Slice(0, length), other._bytes.Slice(0, length));
    }

    public override bool Equals(object? obj) => obj is VoterBitmap other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(MinimalLength, Count);

    public static bool operator ==(VoterBitmap left, VoterBitmap right) => left.Equals(right);

    public static bool operator !=(VoterBitmap left, VoterBitmap right) => !left.Equals(right);

    /// <summary>Walks the bitmap segment by segment, one set bit at a time.</summary>
    public struct Enumerator
    {
        private ReadOnlySequence<byte>.Enumerator _segments;
        private ReadOnlyMemory<byte> _segment;
        private int _offsetInSegment;
        private int _byteIndex;
        private int _pendingBits;
        private uint _current;

        internal Enumerator(ReadOnlySequence<byte> bytes)
        {
            _segments = bytes.GetEnumerator();
            _segment = default;
            _offsetInSegment = 0;
            _byteIndex = -1;
            _pendingBits = 0;
            _current = 0;
        }

        public readonly uint Current => _current;

        public bool MoveNext()
        {
            while (_pendingBits == 0)
            {
                while (_offsetInSegment == _segment.Length)
                {
                    if (!_segments.MoveNext())
                        return false;
                    _segment = _segments.Current;
                    _offsetInSegment = 0;
                }
                _pendingBits = _segment.Span[_offsetInSegment++];
                _byteIndex++;
            }
            _current = (uint)(_byteIndex * 8 + BitOperations.TrailingZeroCount(_pendingBits));
            _pendingBits &= _pendingBits - 1;
            return true;
        }
    }
}
