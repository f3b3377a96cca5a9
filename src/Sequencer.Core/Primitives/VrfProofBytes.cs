using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sequencer.Core.Primitives;

/// <summary>
/// An ECVRF proof π for <c>SECP256K1_SHA256_TAI</c> as it travels: Γ as a 33-byte compressed point ‖ c (16 bytes)
/// ‖ s (32 bytes) = 81 bytes, held inline. The codec checks only Γ's prefix byte (0x02 or 0x03, the compressed-point
/// tags); the VRF's own verification decides everything else.
/// </summary>
[InlineArray(Length)]
public struct VrfProofBytes : IEquatable<VrfProofBytes>
{
    public const int Length = 81;

    private byte _element0;

    public static VrfProofBytes FromSpan(ReadOnlySpan<byte> source)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(source.Length, Length, nameof(source));
        var proof = default(VrfProofBytes);
        source.CopyTo(proof);
        return proof;
    }

    /// <summary>Whether Γ carries a compressed-point tag; anything else can never verify.</summary>
    public readonly bool HasCompressedPointPrefix => _element0 is 0x02 or 0x03;

    [UnscopedRef]
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> AsReadOnlySpan() => MemoryMarshal.CreateReadOnlySpan(in _element0, Length);

    public readonly bool Equals(VrfProofBytes other) => AsReadOnlySpan().SequenceEqual(other.AsReadOnlySpan());

    public override readonly bool Equals(object? obj) => obj is VrfProofBytes other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsReadOnlySpan());
        return hash.ToHashCode();
    }

    public override readonly string ToString() => Convert.ToHexStringLower(AsReadOnlySpan());

    public static bool operator ==(VrfProofBytes left, VrfProofBytes right) => left.Equals(right);

    public static bool operator !=(VrfProofBytes left, VrfProofBytes right) => !left.Equals(right);
}
