using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sequencer.Core.Primitives;

/// <summary>
/// A 32-byte hash (block hash, parent hash, directory hash, signing digest) held inline, so a struct that carries
/// one allocates nothing. Hash codes are seeded per process (<see cref="HashCode"/>): block hashes arrive from the
/// network, and a peer must not be able to pick values that collide in our dictionaries.
/// </summary>
[InlineArray(Length)]
public struct Hash32 : IEquatable<Hash32>
{
    public const int Length = 32;

    private byte _element0;

    public static Hash32 FromSpan(ReadOnlySpan<byte> source)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(source.Length, Length, nameof(source));
        var hash = default(Hash32);
        source.CopyTo(hash);
        return hash;
    }

    [UnscopedRef]
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> AsReadOnlySpan() => MemoryMarshal.CreateReadOnlySpan(in _element0, Length);

    public readonly bool Equals(Hash32 other) => AsReadOnlySpan().SequenceEqual(other.AsReadOnlySpan());

    public override readonly bool Equals(object? obj) => obj is Hash32 other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsReadOnlySpan());
        return hash.ToHashCode();
    }

    public override readonly string ToString() => Convert.ToHexStringLower(AsReadOnlySpan());

    public static bool operator ==(Hash32 left, Hash32 right) => left.Equals(right);

    public static bool operator !=(Hash32 left, Hash32 right) => !left.Equals(right);
}
