using Sequencer.Core.Crypto;
using Sequencer.Core.Vrf;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// ECVRF proofs, which arrive from the network inside invitations and proposals. The first input byte picks the mode.
/// Even: <see cref="EcVrf.Verify"/> on public key (33 bytes) ‖ proof (81) ‖ alpha (the rest), any part short or
/// malformed — it returns false and leaves the output alone, or true with the beta <see cref="EcVrf.TryProofToHash"/>
/// gives. Odd: secret key (32 bytes) ‖ alpha — <see cref="EcVrf.Prove"/> refuses exactly the keys outside (0, n) with
/// <see cref="InvalidKeyException"/>, its proof verifies under the matching public key, and a one-bit change does not.
/// </summary>
internal sealed class VrfProofTarget : IFuzzTarget
{
    private const int PublicKeySize = EcVrf.PublicKeySize;
    private const int ProofSize = EcVrf.ProofSize;

    public string Name => "vrf-proof";

    public IEnumerable<byte[]> Seeds()
    {
        var secretKey = new byte[EcVrf.SecretKeySize];
        secretKey[^1] = 0x2A;
        var alpha = "jmzk round 1000001"u8.ToArray();
        yield return [0x01, .. secretKey, .. alpha];

        var publicKey = new byte[PublicKeySize];
        DerivePublicKey(secretKey, publicKey);
        var proof = new byte[ProofSize];
        EcVrf.Prove(secretKey, alpha, proof);
        yield return [0x00, .. publicKey, .. proof, .. alpha];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        if ((input[0] & 1) == 0)
            VerifyArbitrary(input[1..]);
        else
            ProveAndVerify(input[1..]);
    }

    private static void VerifyArbitrary(ReadOnlySpan<byte> input)
    {
        var publicKey = input[..Math.Min(input.Length, PublicKeySize)];
        var proof = input[publicKey.Length..][..Math.Min(input.Length - publicKey.Length, ProofSize)];
        var alpha = input[(publicKey.Length + proof.Length)..];
        Span<byte> beta = stackalloc byte[EcVrf.OutputSize];
        beta.Fill(0xEE);
        if (!EcVrf.Verify(publicKey, alpha, proof, beta))
        {
            ThrowIf(beta.ContainsAnyExcept((byte)0xEE), "a rejected proof wrote an output");
            return;
        }
        Span<byte> hash = stackalloc byte[EcVrf.OutputSize];
        ThrowIf(!EcVrf.TryProofToHash(proof, hash) || !hash.SequenceEqual(beta), "an accepted proof's beta differs from proof-to-hash");
    }

    private static void ProveAndVerify(ReadOnlySpan<byte> input)
    {
        if (input.Length < EcVrf.SecretKeySize)
            return;
        var secretKey = input[..EcVrf.SecretKeySize];
        var alpha = input[EcVrf.SecretKeySize..];
        Span<byte> proof = stackalloc byte[ProofSize];
        var usable = Scalar.IsInRange(secretKey);
        try
        {
            EcVrf.Prove(secretKey, alpha, proof);
        }
        catch (InvalidKeyException)
        {
            ThrowIf(usable, "Prove refused a secret key in (0, n)");
            return;
        }
        ThrowIf(!usable, "Prove accepted a secret key outside (0, n)");

        Span<byte> publicKey = stackalloc byte[PublicKeySize];
        DerivePublicKey(secretKey, publicKey);
        Span<byte> beta = stackalloc byte[EcVrf.OutputSize];
        Span<byte> hash = stackalloc byte[EcVrf.OutputSize];
        ThrowIf(!EcVrf.Verify(publicKey, alpha, proof, beta), "a proof does not verify under its own key");
        ThrowIf(!EcVrf.TryProofToHash(proof, hash) || !hash.SequenceEqual(beta), "beta differs from proof-to-hash");

        var bit = alpha.Length * 8 + (alpha.IsEmpty ? 0 : alpha[0]);
        proof[bit / 8 % ProofSize] ^= (byte)(1 << (bit % 8));
        ThrowIf(EcVrf.Verify(publicKey, alpha, proof, beta), "a proof with one bit changed still verifies");
    }

    private static void DerivePublicKey(ReadOnlySpan<byte> secretKey, Span<byte> publicKey)
    {
        if (!CurvePoint.TryMultiplyGenerator(secretKey, out var point))
            throw new ContractViolationException("no public key for a secret key Prove accepted");
        CurvePoint.SerializeCompressed(point, publicKey);
    }
}
