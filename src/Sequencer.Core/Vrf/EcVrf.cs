using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Vrf;

/// <summary>
/// ECVRF on secp256k1, ciphersuite <c>SECP256K1_SHA256_TAI</c> as published with test vectors by witnet/vrf-rs
/// (draft-irtf-cfrg-vrf-05; see <see cref="Secp256k1Sha256Tai"/> for where it differs from RFC 9381).
/// The sequencer proves <c>pi</c> over the round's alpha with its validator key; anyone holding the public key checks
/// it and obtains the same 32-byte output <c>beta</c>, from which the committee is drawn (DESIGN §3 step 1).
/// </summary>
/// <remarks>
/// <para>A proof is 81 bytes: Gamma (33-byte compressed point) ‖ c (16 bytes) ‖ s (32 bytes, big-endian).
/// Prove: H = hash_to_curve(Y, alpha), Gamma = x·H, k = RFC 6979 nonce, c = hash_points(H, Gamma, k·B, k·H),
/// s = k + c·x mod n. Verify: U = s·B − c·Y, V = s·H − c·Gamma and accept when hash_points(H, Gamma, U, V) = c.
/// beta = SHA-256(0xFE ‖ 0x03 ‖ Gamma) depends on x and alpha only, never on the nonce.</para>
/// <para>Every point and scalar operation is one call into libsecp256k1's public API (<see cref="CurvePoint"/>,
/// <see cref="Scalar"/>); there is no field or curve arithmetic here. Nothing allocates.</para>
/// <para>Decoding is stricter than vrf-rs in one place, as RFC 9381 §5.4.4 is: s must be below the group order n.
/// vrf-rs (OpenSSL) silently reduces a larger s, which makes s + n a second valid encoding of the same proof; no
/// honest prover produces it, so rejecting it only removes that malleability.</para>
/// </remarks>
public static class EcVrf
{
    public const int ProofSize = GammaSize + ChallengeSize + ResponseSize;
    public const int OutputSize = Secp256k1Sha256Tai.OutputSize;
    public const int SecretKeySize = Scalar.Size;
    public const int PublicKeySize = CurvePoint.CompressedSize;

    private const int GammaSize = CurvePoint.CompressedSize;
    private const int ChallengeSize = Secp256k1Sha256Tai.ChallengeSize;
    private const int ResponseSize = Scalar.Size;
    private const int ChallengeOffset = GammaSize;
    private const int ResponseOffset = GammaSize + ChallengeSize;

    /// <summary>
    /// Writes the 81-byte proof for <paramref name="alpha"/> (any length, empty included) under the 32-byte secret
    /// scalar <paramref name="secretKey"/>. Deterministic: the same key and alpha always give the same proof.
    /// </summary>
    /// <exception cref="InvalidKeyException">The secret is not 32 bytes, or is zero or not below the group order.</exception>
    public static void Prove(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> alpha, Span<byte> proof)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(proof.Length, ProofSize, nameof(proof));
        if (secretKey.Length != SecretKeySize)
            throw new InvalidKeyException($"a VRF secret key is {SecretKeySize} bytes, got {secretKey.Length}");
        if (!CurvePoint.TryMultiplyGenerator(secretKey, out var y))
            throw new InvalidKeyException("the VRF secret key is zero or not below the secp256k1 group order");

        Span<byte> publicKey = stackalloc byte[PublicKeySize];
        CurvePoint.SerializeCompressed(y, publicKey);
        if (!Secp256k1Sha256Tai.TryHashToCurve(publicKey, alpha, out var h))
            throw new CryptographicLibraryException("hash-to-curve found no point in 255 attempts");
        Span<byte> hEncoded = stackalloc byte[CurvePoint.CompressedSize];
        CurvePoint.SerializeCompressed(h, hEncoded);

        var gamma = h;
        if (!CurvePoint.TryMultiply(ref gamma, secretKey))
            throw new CryptographicLibraryException("libsecp256k1 refused x·H for a valid secret key");
        var gammaEncoded = proof[..GammaSize];
        CurvePoint.SerializeCompressed(gamma, gammaEncoded);

        Span<byte> nonce = stackalloc byte[Scalar.Size];
        try
        {
            Span<byte> hHash = stackalloc byte[Sha256.HashSize];
            Sha256.Hash(hEncoded, hHash);
            Rfc6979Nonce.Generate(secretKey, hHash, nonce);

            var v = h;
            if (!CurvePoint.TryMultiplyGenerator(nonce, out var u) || !CurvePoint.TryMultiply(ref v, nonce))
                throw new CryptographicLibraryException("libsecp256k1 refused k·B or k·H for a nonce in range");
            Span<byte> uEncoded = stackalloc byte[CurvePoint.CompressedSize];
            Span<byte> vEncoded = stackalloc byte[CurvePoint.CompressedSize];
            CurvePoint.SerializeCompressed(u, uEncoded);
            CurvePoint.SerializeCompressed(v, vEncoded);

            var c = proof.Slice(ChallengeOffset, ChallengeSize);
            Secp256k1Sha256Tai.Challenge(hEncoded, gammaEncoded, uEncoded, vEncoded, c);
            Span<byte> cScalar = stackalloc byte[Scalar.Size];
            WidenChallenge(c, cScalar);
            Scalar.MultiplyAdd(nonce, cScalar, secretKey, proof.Slice(ResponseOffset, ResponseSize));
        }
        finally
        {
            Sodium.Wipe(nonce);
        }
    }

    /// <summary>
    /// Checks <paramref name="proof"/> for <paramref name="alpha"/> under <paramref name="publicKey"/> (33-byte
    /// compressed) and, when it holds, writes beta into <paramref name="output"/> (32 bytes) and returns true.
    /// Any malformed key or proof (wrong length, not a point, s not below n) is simply false; this never throws for
    /// its inputs and leaves <paramref name="output"/> untouched unless it returns true.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> alpha, ReadOnlySpan<byte> proof, Span<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, OutputSize, nameof(output));
        if (!TryDecodeProof(proof, out var gamma) || !CurvePoint.TryParseCompressed(publicKey, out var y))
            return false;
        // The parse succeeded, so publicKey is Y's canonical encoding and can be hashed as it is.
        if (!Secp256k1Sha256Tai.TryHashToCurve(publicKey, alpha, out var h))
            return false;

        var gammaEncoded = proof[..GammaSize];
        var c = proof.Slice(ChallengeOffset, ChallengeSize);
        var s = proof.Slice(ResponseOffset, ResponseSize);
        Span<byte> cScalar = stackalloc byte[Scalar.Size];
        WidenChallenge(c, cScalar);

        // U = s·B − c·Y and V = s·H − c·Gamma. libsecp256k1 cannot multiply by zero, so a zero scalar drops its term;
        // a result at infinity cannot come from an honest prover (U = k·B, V = k·H with 0 < k < n): reject it.
        var sIsZero = Scalar.IsZero(s);
        var cIsZero = Scalar.IsZero(cScalar);
        Secp256k1PublicKeyData sB = default, sH = h, cY = y, cGamma = gamma;
        if (!sIsZero && !(CurvePoint.TryMultiplyGenerator(s, out sB) && CurvePoint.TryMultiply(ref sH, s)))
            return false;
        if (!cIsZero)
        {
            if (!CurvePoint.TryMultiply(ref cY, cScalar) || !CurvePoint.TryMultiply(ref cGamma, cScalar))
                return false;
            CurvePoint.Negate(ref cY);
            CurvePoint.Negate(ref cGamma);
        }
        if (!TryAddTerms(sIsZero, sB, cIsZero, cY, out var u) || !TryAddTerms(sIsZero, sH, cIsZero, cGamma, out var v))
            return false;

        Span<byte> hEncoded = stackalloc byte[CurvePoint.CompressedSize];
        Span<byte> uEncoded = stackalloc byte[CurvePoint.CompressedSize];
        Span<byte> vEncoded = stackalloc byte[CurvePoint.CompressedSize];
        CurvePoint.SerializeCompressed(h, hEncoded);
        CurvePoint.SerializeCompressed(u, uEncoded);
        CurvePoint.SerializeCompressed(v, vEncoded);
        Span<byte> expected = stackalloc byte[ChallengeSize];
        Secp256k1Sha256Tai.Challenge(hEncoded, gammaEncoded, uEncoded, vEncoded, expected);
        if (!expected.SequenceEqual(c))
            return false;

        Secp256k1Sha256Tai.GammaToHash(gammaEncoded, output);
        return true;
    }

    /// <summary>
    /// beta of a proof without checking it against a key and alpha (ECVRF_proof_to_hash): writes 32 bytes into
    /// <paramref name="output"/> and returns true, or false when the proof does not decode (wrong length, Gamma not
    /// a point, s not below n). Only a proof that <see cref="Verify"/> accepted gives a beta anyone should trust.
    /// </summary>
    public static bool TryProofToHash(ReadOnlySpan<byte> proof, Span<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, OutputSize, nameof(output));
        if (!TryDecodeProof(proof, out _))
            return false;
        // Gamma parsed, so its bytes are its canonical encoding: hash them directly.
        Secp256k1Sha256Tai.GammaToHash(proof[..GammaSize], output);
        return true;
    }

    /// <summary>ECVRF_decode_proof: 81 bytes, Gamma a point, s &lt; n (c is 128 bits, always below n).</summary>
    private static bool TryDecodeProof(ReadOnlySpan<byte> proof, out Secp256k1PublicKeyData gamma)
    {
        gamma = default;
        if (proof.Length != ProofSize)
            return false;
        var s = proof.Slice(ResponseOffset, ResponseSize);
        return (Scalar.IsZero(s) || Scalar.IsInRange(s)) && CurvePoint.TryParseCompressed(proof[..GammaSize], out gamma);
    }

    /// <summary>The 16-byte challenge as a 32-byte scalar (left-padded with zeros), the form libsecp256k1 takes.</summary>
    private static void WidenChallenge(ReadOnlySpan<byte> c, Span<byte> scalar)
    {
        scalar[..(Scalar.Size - ChallengeSize)].Clear();
        c.CopyTo(scalar[(Scalar.Size - ChallengeSize)..]);
    }

    /// <summary>first + second where a term whose scalar was zero is absent; false when the sum is the identity.</summary>
    private static bool TryAddTerms(bool firstAbsent, in Secp256k1PublicKeyData first, bool secondAbsent, in Secp256k1PublicKeyData second, out Secp256k1PublicKeyData sum)
    {
        sum = firstAbsent ? second : first;
        if (firstAbsent || secondAbsent)
            return !(firstAbsent && secondAbsent);
        return CurvePoint.TryAdd(first, second, out sum);
    }
}
