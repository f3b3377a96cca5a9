using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Vrf;

/// <summary>
/// The hash functions of the ECVRF ciphersuite <c>SECP256K1_SHA256_TAI</c> exactly as witnet/vrf-rs publishes it:
/// draft-irtf-cfrg-vrf-05 with suite_string 0xFE, SHA-256, try-and-increment hash-to-curve, cofactor 1,
/// a challenge of n = 128 bits (16 bytes) and 33-byte compressed points.
/// </summary>
/// <remarks>
/// <para>The suite is fixed by vrf-rs's vectors, which RFC 9381 (the final form of the draft) would not reproduce.
/// Where the two differ, this follows draft-05:</para>
/// <list type="bullet">
/// <item>hash-to-curve: SHA-256(0xFE ‖ 0x01 ‖ PK ‖ alpha ‖ ctr); RFC 9381 appends a 0x00 byte.</item>
/// <item>challenge: SHA-256(0xFE ‖ 0x02 ‖ H ‖ Gamma ‖ U ‖ V) truncated to 16 bytes; RFC 9381 also hashes the
/// public key Y before H and appends 0x00.</item>
/// <item>proof-to-hash: SHA-256(0xFE ‖ 0x03 ‖ Gamma); RFC 9381 appends 0x00.</item>
/// </list>
/// <para>The nonce (RFC 6979 over SHA-256 of H's encoding) is the same in both; see <see cref="Rfc6979Nonce"/>.
/// Multiplying by the cofactor (1 on secp256k1) is the identity and is left out.</para>
/// </remarks>
internal static class Secp256k1Sha256Tai
{
    public const byte SuiteString = 0xFE;
    public const int ChallengeSize = 16;
    public const int OutputSize = 32;

    private const byte HashToCurveDomain = 0x01;
    private const byte ChallengeDomain = 0x02;
    private const byte ProofToHashDomain = 0x03;

    /// <summary>vrf-rs tries ctr = 0 … 254; each try succeeds with probability about 1/2.</summary>
    private const int HashToCurveAttempts = 255;

    /// <summary>
    /// ECVRF_hash_to_curve_try_and_increment: the first ctr whose SHA-256(0xFE ‖ 0x01 ‖ PK ‖ alpha ‖ ctr) is the
    /// x-coordinate of a point, taken with even y (the compressed encoding 0x02 ‖ hash). libsecp256k1's parser is the
    /// whole validity test: it rejects x ≥ p and an x with no point. False only after 255 failures (probability
    /// 2^-255).
    /// </summary>
    /// <param name="publicKey">The 33-byte compressed encoding of Y.</param>
    public static bool TryHashToCurve(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, out Secp256k1PublicKeyData point)
    {
        // Absorb the prefix once; each attempt forks the hasher (it is a value) and adds only the counter.
        var prefix = Sha256.Start();
        ReadOnlySpan<byte> domain = [SuiteString, HashToCurveDomain];
        prefix.Append(domain);
        prefix.Append(publicKey);
        prefix.Append(alpha);

        Span<byte> candidate = stackalloc byte[CurvePoint.CompressedSize];
        candidate[0] = 0x02;
        Span<byte> counter = stackalloc byte[1];
        for (var attempt = 0; attempt < HashToCurveAttempts; attempt++)
        {
            var hasher = prefix;
            counter[0] = (byte)attempt;
            hasher.Append(counter);
            hasher.Finish(candidate[1..]);
            if (CurvePoint.TryParseCompressed(candidate, out point))
                return true;
        }
        point = default;
        return false;
    }

    /// <summary>ECVRF_hash_points(H, Gamma, U, V): the first 16 bytes of SHA-256(0xFE ‖ 0x02 ‖ H ‖ Gamma ‖ U ‖ V).</summary>
    public static void Challenge(ReadOnlySpan<byte> h, ReadOnlySpan<byte> gamma, ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, Span<byte> challenge)
    {
        var hasher = Sha256.Start();
        ReadOnlySpan<byte> domain = [SuiteString, ChallengeDomain];
        hasher.Append(domain);
        hasher.Append(h);
        hasher.Append(gamma);
        hasher.Append(u);
        hasher.Append(v);
        Span<byte> digest = stackalloc byte[Sha256.HashSize];
        hasher.Finish(digest);
        digest[..ChallengeSize].CopyTo(challenge);
    }

    /// <summary>ECVRF_proof_to_hash from Gamma's compressed encoding: beta = SHA-256(0xFE ‖ 0x03 ‖ Gamma).</summary>
    public static void GammaToHash(ReadOnlySpan<byte> gamma, Span<byte> beta)
    {
        var hasher = Sha256.Start();
        ReadOnlySpan<byte> domain = [SuiteString, ProofToHashDomain];
        hasher.Append(domain);
        hasher.Append(gamma);
        hasher.Finish(beta);
    }
}
