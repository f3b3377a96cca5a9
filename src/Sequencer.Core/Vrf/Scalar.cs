using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Vrf;

/// <summary>
/// Arithmetic modulo the secp256k1 group order n on 32-byte big-endian scalars, done by libsecp256k1's
/// <c>seckey_*</c> functions: nothing here computes with the numbers itself.
/// </summary>
/// <remarks>
/// The <c>seckey_*</c> functions only accept a first operand in [1, n−1] and a second in [0, n−1], and they fail
/// (writing zero) when the result is 0 mod n. Each method below states how it stays inside those rules and what a
/// failure can only mean, so a result of zero is produced deliberately, never by accident.
/// </remarks>
internal static unsafe class Scalar
{
    public const int Size = 32;

    /// <summary>2^255: below n (n ≈ 2^256 − 4.3·2^128), so a valid operand, and the weight of a 256-bit number's top bit.</summary>
    private static ReadOnlySpan<byte> TwoTo255 =>
    [
        0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    public static bool IsZero(ReadOnlySpan<byte> scalar) => !scalar.ContainsAnyExcept((byte)0);

    /// <summary>True when 0 &lt; scalar &lt; n, i.e. a usable secret key, nonce or multiplier.</summary>
    public static bool IsInRange(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != Size)
            return false;
        fixed (byte* k = scalar)
            return Secp256k1Native.secp256k1_ec_seckey_verify(Secp256k1Context.Shared, k) == 1;
    }

    /// <summary>
    /// destination = value mod n for any 256-bit value (RFC 6979's bits2octets of a 256-bit hash).
    /// </summary>
    /// <remarks>
    /// A 256-bit value is below 2n, so reducing it means subtracting n at most once. With the top bit clear the value
    /// is below 2^255 &lt; n and already reduced. With the top bit set, value = 2^255 + low where low &lt; 2^255 &lt; n,
    /// and libsecp256k1 adds those two valid operands mod n. That addition fails only when the sum is 0 mod n, i.e.
    /// value = n exactly, whose residue is indeed zero. No comparison against n or subtraction is written here.
    /// </remarks>
    public static void ReduceModOrder(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        if (value.Length != Size || destination.Length < Size)
            throw new ArgumentException($"scalars are {Size} bytes (got {value.Length} into {destination.Length})");
        if ((value[0] & 0x80) == 0)
        {
            value.CopyTo(destination);
            return;
        }
        Span<byte> low = stackalloc byte[Size];
        value.CopyTo(low);
        low[0] &= 0x7f;
        TwoTo255.CopyTo(destination);
        fixed (byte* sum = destination)
        fixed (byte* addend = low)
        {
            if (Secp256k1Native.secp256k1_ec_seckey_tweak_add(Secp256k1Context.Shared, sum, addend) != 1)
                destination[..Size].Clear();
        }
    }

    /// <summary>
    /// destination = (k + c·x) mod n, the VRF proof's s, for a secret x and nonce k in [1, n−1] and any c &lt; n.
    /// The product c·x lives in a stack copy that is wiped before returning.
    /// </summary>
    /// <remarks>
    /// With c = 0 the answer is k (libsecp256k1 refuses a zero multiplier). Otherwise c·x is non-zero because n is
    /// prime, so it is a valid first operand for the addition, which then fails only when k + c·x ≡ 0: s is zero.
    /// </remarks>
    public static void MultiplyAdd(ReadOnlySpan<byte> k, ReadOnlySpan<byte> c, ReadOnlySpan<byte> x, Span<byte> destination)
    {
        if (k.Length != Size || c.Length != Size || x.Length != Size || destination.Length < Size)
            throw new ArgumentException($"scalars are {Size} bytes");
        if (IsZero(c))
        {
            k.CopyTo(destination);
            return;
        }
        Span<byte> product = stackalloc byte[Size];
        try
        {
            x.CopyTo(product);
            fixed (byte* p = product)
            fixed (byte* multiplier = c)
            fixed (byte* nonce = k)
            {
                if (Secp256k1Native.secp256k1_ec_seckey_tweak_mul(Secp256k1Context.Shared, p, multiplier) != 1)
                    throw new CryptographicLibraryException("libsecp256k1 refused c·x for a valid secret key and c < n");
                if (Secp256k1Native.secp256k1_ec_seckey_tweak_add(Secp256k1Context.Shared, p, nonce) != 1)
                    product.Clear();
            }
            product.CopyTo(destination);
        }
        finally
        {
            Sodium.Wipe(product);
        }
    }
}
