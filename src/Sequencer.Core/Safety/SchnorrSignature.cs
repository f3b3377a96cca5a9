using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sequencer.Core.Safety;

/// <summary>A 64-byte BIP340 signature held inline. The safety layer treats it as opaque bytes: it stores and returns it, never verifies it.</summary>
[InlineArray(Length)]
public struct SchnorrSignature : IEquatable<SchnorrSignature>
{
    public const int Length = 64;

    private byte _element0;

    public static SchnorrSignature FromSpan(ReadOnlySpan<byte> source)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(source.Length, Length, nameof(source));
        var value = default(SchnorrSignature);
        source.CopyTo(value);
        return value;
    }

    [UnscopedRef]
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> AsReadOnlySpan() => MemoryMarshal.CreateReadOnlySpan(in _element0, Length);

    public readonly bool Equals(SchnorrSignature other) => AsReadOnlySpan().SequenceEqual(other.AsReadOnlySpan());

    public override readonly bool Equals(object? obj) => obj is SchnorrSignature other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsReadOnlySpan());
        return hash.ToHashCode();
    }

    public override readonly string ToString() => Convert.ToHexStringLower(AsReadOnlySpan());

    public static bool operator ==(SchnorrSignature left, SchnorrSignature right) => left.Equals(right);

    public static bool operator !=(SchnorrSignature left, SchnorrSignature right) => !left.Equals(right);
}
