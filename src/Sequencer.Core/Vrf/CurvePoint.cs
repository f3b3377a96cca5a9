using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Vrf;

/// <summary>
/// The secp256k1 group operations the VRF needs, each a single call into libsecp256k1's public API on a
/// <c>secp256k1_pubkey</c> (any point except the point at infinity, which that type cannot hold).
/// </summary>
/// <remarks>
/// Every method answers <c>false</c> where libsecp256k1 answers 0, and callers treat that as "invalid input".
/// The one invariant callers must keep: only pass points that a successful call here produced. A zeroed
/// <c>secp256k1_pubkey</c> (what a failed call leaves behind) is an illegal argument to libsecp256k1, which would
/// count in <see cref="Secp256k1Context.IllegalArgumentCalls"/>.
/// Scalars are 32-byte big-endian. Multiplications by a scalar of zero or of at least the group order n fail in
/// libsecp256k1 rather than yield the point at infinity or reduce the scalar: callers handle zero themselves and
/// treat n or more as malformed. The scalar multiplications run in constant time, so they may take secret scalars.
/// </remarks>
internal static unsafe class CurvePoint
{
    public const int CompressedSize = 33;
    public const int ScalarSize = 32;

    /// <summary>
    /// Decodes a 33-byte compressed point (0x02/0x03 ‖ x). libsecp256k1 checks the prefix, that x &lt; p and that
    /// x³ + 7 has a square root, so a successful parse means the encoding is canonical: serialising the point
    /// gives back exactly these bytes.
    /// </summary>
    public static bool TryParseCompressed(ReadOnlySpan<byte> encoded, out Secp256k1PublicKeyData point)
    {
        point = default;
        if (encoded.Length != CompressedSize)
            return false;
        fixed (byte* input = encoded)
        fixed (Secp256k1PublicKeyData* output = &point)
            return Secp256k1Native.secp256k1_ec_pubkey_parse(Secp256k1Context.Shared, output, input, CompressedSize) == 1;
    }

    /// <summary>scalar·B for 0 &lt; scalar &lt; n; false otherwise.</summary>
    public static bool TryMultiplyGenerator(ReadOnlySpan<byte> scalar, out Secp256k1PublicKeyData point)
    {
        point = default;
        if (scalar.Length != ScalarSize)
            return false;
        fixed (byte* k = scalar)
        fixed (Secp256k1PublicKeyData* output = &point)
            return Secp256k1Native.secp256k1_ec_pubkey_create(Secp256k1Context.Shared, output, k) == 1;
    }

    /// <summary>point ← scalar·point for 0 &lt; scalar &lt; n; false otherwise (point is then unusable).</summary>
    public static bool TryMultiply(ref Secp256k1PublicKeyData point, ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != ScalarSize)
            return false;
        fixed (byte* k = scalar)
        fixed (Secp256k1PublicKeyData* p = &point)
            return Secp256k1Native.secp256k1_ec_pubkey_tweak_mul(Secp256k1Context.Shared, p, k) == 1;
    }

    /// <summary>point ← −point.</summary>
    public static void Negate(ref Secp256k1PublicKeyData point)
    {
        fixed (Secp256k1PublicKeyData* p = &point)
        {
            if (Secp256k1Native.secp256k1_ec_pubkey_negate(Secp256k1Context.Shared, p) != 1)
                throw new CryptographicLibraryException("libsecp256k1 refused to negate a valid point");
        }
    }

    /// <summary>sum = a + b; false when the sum is the point at infinity (b = −a).</summary>
    public static bool TryAdd(in Secp256k1PublicKeyData a, in Secp256k1PublicKeyData b, out Secp256k1PublicKeyData sum)
    {
        sum = default;
        fixed (Secp256k1PublicKeyData* pa = &a)
        fixed (Secp256k1PublicKeyData* pb = &b)
        fixed (Secp256k1PublicKeyData* output = &sum)
        {
            var inputs = stackalloc Secp256k1PublicKeyData*[2] { pa, pb };
            return Secp256k1Native.secp256k1_ec_pubkey_combine(Secp256k1Context.Shared, output, inputs, 2) == 1;
        }
    }

    /// <summary>Writes the 33-byte compressed encoding of <paramref name="point"/>.</summary>
    public static void SerializeCompressed(in Secp256k1PublicKeyData point, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, CompressedSize, nameof(destination));
        nuint length = CompressedSize;
        fixed (Secp256k1PublicKeyData* p = &point)
        fixed (byte* output = destination)
        {
            if (Secp256k1Native.secp256k1_ec_pubkey_serialize(Secp256k1Context.Shared, output, &length, p, Secp256k1Native.EcCompressed) != 1
                || length != CompressedSize)
                throw new CryptographicLibraryException("libsecp256k1 could not serialise a valid point");
        }
    }
}
