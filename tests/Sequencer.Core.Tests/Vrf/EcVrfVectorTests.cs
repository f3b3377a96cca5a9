using Sequencer.Core.Crypto;
using Sequencer.Core.Vrf;

namespace Sequencer.Core.Tests.Vrf;

public sealed class EcVrfVectorTests
{
    public static TheoryData<string> ProveVectors => VrfVectors.Sources("prove");
    public static TheoryData<string> VerifyVectors => VrfVectors.Sources("verify");
    public static TheoryData<string> LegacyNonceVectors =>
        VrfVectors.Sources("verify", vector => vector.Flag("legacyNonce") && vector.OptionalBytes("secret") is not null);
    public static TheoryData<string> InvalidVectors => VrfVectors.Sources("invalid");
    public static TheoryData<string> HashToCurveVectors => VrfVectors.Sources("hashToCurve");
    public static TheoryData<string> ChallengeVectors => VrfVectors.Sources("challenge");

    [Theory]
    [MemberData(nameof(ProveVectors))]
    public void ProveGivesThePublishedProofAndVerifyAcceptsIt(string source)
    {
        var vector = VrfVectors.Find("prove", source);
        var secret = vector.Bytes("secret");
        var alpha = vector.Bytes("alpha");
        Assert.Equal(vector.Bytes("publicKey"), VrfTestKeys.PublicKeyOf(secret));

        var proof = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, alpha, proof);
        Assert.Equal(Convert.ToHexStringLower(vector.Bytes("pi")), Convert.ToHexStringLower(proof));

        var beta = new byte[EcVrf.OutputSize];
        Assert.True(EcVrf.Verify(vector.Bytes("publicKey"), alpha, proof, beta));
        Assert.Equal(vector.Bytes("beta"), beta);
        Assert.True(EcVrf.TryProofToHash(proof, beta));
        Assert.Equal(vector.Bytes("beta"), beta);
    }

    [Theory]
    [MemberData(nameof(VerifyVectors))]
    public void VerifyAcceptsThePublishedProofWithItsBeta(string source)
    {
        var vector = VrfVectors.Find("verify", source);
        var publicKey = vector.Bytes("publicKey");
        var alpha = vector.Bytes("alpha");
        var pi = vector.Bytes("pi");
        var beta = new byte[EcVrf.OutputSize];

        Assert.True(EcVrf.Verify(publicKey, alpha, pi, beta));
        Assert.Equal(Convert.ToHexStringLower(vector.Bytes("beta")), Convert.ToHexStringLower(beta));
        var hashed = new byte[EcVrf.OutputSize];
        Assert.True(EcVrf.TryProofToHash(pi, hashed));
        Assert.Equal(beta, hashed);

        if (vector.OptionalBytes("secret") is { } secret)
        {
            // Gamma = x·H does not depend on the nonce: today's Prove gives the same beta and the same Gamma.
            Assert.Equal(publicKey, VrfTestKeys.PublicKeyOf(secret));
            var proof = new byte[EcVrf.ProofSize];
            EcVrf.Prove(secret, alpha, proof);
            Assert.Equal(pi.AsSpan(0, 33).ToArray(), proof.AsSpan(0, 33).ToArray());
            Assert.True(EcVrf.Verify(publicKey, alpha, proof, hashed));
            Assert.Equal(beta, hashed);
        }
    }

    [Theory]
    [MemberData(nameof(LegacyNonceVectors))]
    public void LegacyNonceProofsAreReproducedExactlyByTheSameBuildingBlocks(string source)
    {
        // vrf-rs made these before draft-05 changed the nonce's input from H's encoding (first 32 bytes) to its
        // SHA-256. Rebuilding them byte for byte checks hash-to-curve, Gamma, the RFC 6979 DRBG, the challenge and
        // s = k + c·x against 46 published proofs; ProofCompositionMatchesEcVrfProve anchors the composition.
        var vector = VrfVectors.Find("verify", source);
        var proof = ProofComposition.Prove(vector.Bytes("secret"), vector.Bytes("alpha"), legacyNonceInput: true);
        Assert.Equal(Convert.ToHexStringLower(vector.Bytes("pi")), Convert.ToHexStringLower(proof));
    }

    [Theory]
    [MemberData(nameof(ProveVectors))]
    public void ProofCompositionMatchesEcVrfProve(string source)
    {
        var vector = VrfVectors.Find("prove", source);
        var proof = ProofComposition.Prove(vector.Bytes("secret"), vector.Bytes("alpha"), legacyNonceInput: false);
        Assert.Equal(vector.Bytes("pi"), proof);
    }

    [Theory]
    [MemberData(nameof(InvalidVectors))]
    public void VerifyRejectsThePublishedInvalidProofs(string source)
    {
        var vector = VrfVectors.Find("invalid", source);
        var before = Secp256k1Context.IllegalArgumentCalls;
        var beta = new byte[EcVrf.OutputSize];
        Assert.False(EcVrf.Verify(vector.Bytes("publicKey"), vector.Bytes("alpha"), vector.Bytes("pi"), beta));
        Assert.Equal(new byte[EcVrf.OutputSize], beta);
        Assert.Equal(before, Secp256k1Context.IllegalArgumentCalls);
    }

    [Theory]
    [MemberData(nameof(HashToCurveVectors))]
    public void HashToCurveFindsThePublishedPoint(string source)
    {
        var vector = VrfVectors.Find("hashToCurve", source);
        Assert.True(Secp256k1Sha256Tai.TryHashToCurve(vector.Bytes("publicKey"), vector.Bytes("alpha"), out var h));
        var encoded = new byte[33];
        CurvePoint.SerializeCompressed(h, encoded);
        var uncompressed = vector.Bytes("h");
        var expected = new byte[33];
        expected[0] = (byte)(0x02 | (uncompressed[63] & 1));
        uncompressed.AsSpan(0, 32).CopyTo(expected.AsSpan(1));
        Assert.Equal(expected, encoded);
    }

    [Theory]
    [MemberData(nameof(ChallengeVectors))]
    public void ChallengeIsThePublishedTruncatedHash(string source)
    {
        var vector = VrfVectors.Find("challenge", source);
        var c = new byte[Secp256k1Sha256Tai.ChallengeSize];
        Secp256k1Sha256Tai.Challenge(vector.Bytes("h"), vector.Bytes("gamma"), vector.Bytes("u"), vector.Bytes("v"), c);
        Assert.Equal(vector.Bytes("c"), c);
    }
}
