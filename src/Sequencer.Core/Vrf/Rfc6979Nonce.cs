using Sequencer.Core.Crypto;

namespace Sequencer.Core.Vrf;

/// <summary>
/// The deterministic nonce of RFC 6979 §3.2 for secp256k1 with HMAC-SHA256 (qlen = hlen = 256 bits), as ECVRF
/// draft-05 §5.4.2.1 uses it: the "message hash" h1 is SHA-256 of the hashed-to-curve point H.
/// </summary>
/// <remarks>
/// With qlen = 256 and 32-byte HMAC outputs, RFC 6979's conversions collapse: int2octets(x) is the 32-byte secret
/// itself, bits2int of a 32-byte string is that string, and bits2octets(h1) is h1 mod n, which
/// <see cref="Scalar.ReduceModOrder"/> computes through libsecp256k1. A candidate is accepted when 0 &lt; k &lt; n,
/// checked by libsecp256k1's range check. The HMAC key K and the seed (which holds x) are secret: they are wiped.
/// K and V are updated in place (<c>K = HMAC_K(…)</c>): HMAC-SHA256 absorbs its key and data before it writes the MAC.
/// </remarks>
internal static class Rfc6979Nonce
{
    private const int Size = 32;

    /// <summary>Writes k into <paramref name="nonce"/> (32 bytes) for the secret <paramref name="secretKey"/> and 32-byte <paramref name="messageHash"/>.</summary>
    public static void Generate(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> messageHash, Span<byte> nonce)
    {
        if (secretKey.Length != Size || messageHash.Length != Size || nonce.Length < Size)
            throw new ArgumentException($"RFC 6979 over secp256k1 takes {Size}-byte keys, hashes and nonces");

        // seed = V ‖ marker ‖ int2octets(x) ‖ bits2octets(h1), the input of steps d and f.
        Span<byte> seed = stackalloc byte[Size + 1 + Size + Size];
        Span<byte> k = stackalloc byte[Size];
        Span<byte> v = stackalloc byte[Size];
        ReadOnlySpan<byte> zero = [0x00];
        try
        {
            secretKey.CopyTo(seed.Slice(Size + 1, Size));
            Scalar.ReduceModOrder(messageHash, seed.Slice(Size + 1 + Size, Size));
            v.Fill(0x01);                                     // step b
            k.Clear();                                        // step c
            for (byte marker = 0x00; marker <= 0x01; marker++) // steps d–e, then f–g
            {
                v.CopyTo(seed);
                seed[Size] = marker;
                HmacSha256.Compute(k, seed, k);
                HmacSha256.Compute(k, v, v);
            }
            while (true)                                      // step h (one HMAC output is exactly qlen bits)
            {
                HmacSha256.Compute(k, v, v);
                if (Scalar.IsInRange(v))
                {
                    v.CopyTo(nonce);
                    return;
                }
                HmacSha256.Compute(k, v, zero, k);
                HmacSha256.Compute(k, v, v);
            }
        }
        finally
        {
            Sodium.Wipe(seed);
            Sodium.Wipe(k);
            Sodium.Wipe(v);
        }
    }
}
