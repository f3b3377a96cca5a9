using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sequencer.Core.Primitives;

/// <summary>
/// A BIP340 Schnorr signature (64 bytes: R.x ‖ s) held inline. The codec treats it as opaque bytes; whether it is a
/// valid signature is decided only by verification against the signer's key and the message's signing digest.
/// </summary>
[InlineArray(Length)]
public struct SchnorrSignature : IEquatable<SchnorrSignature>
{
    public const int Length = 64;

    private byte _element0;

    public static SchnorrSignature FromSpan(ReadOnlySpan<byte> source)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(source.Length, Length, nameof(source));
        var signature = default(SchnorrSignature);
        source.CopyTo(signature);
        return signature;
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
