using Sequencer.Core.Crypto;
using Sequencer.Core.Vrf;

namespace Sequencer.Core.Tests.Vrf;

/// <summary>
/// Prove written out step by step from the implementation's internal building blocks, with the nonce's input
/// selectable: SHA-256 of H's encoding (draft-05, what <see cref="EcVrf.Prove"/> does) or the first 32 bytes of the
/// encoding (what vrf-rs did before draft-05, the input RFC 6979's bits2octets takes from a 33-byte string when
/// qlen = 256). It lets the older published proofs check every building block, not just beta.
/// </summary>
internal static class ProofComposition
{
    public static byte[] Prove(byte[] secret, byte[] alpha, bool legacyNonceInput)
    {
        var publicKey = VrfTestKeys.PublicKeyOf(secret);
        Assert.True(Secp256k1Sha256Tai.TryHashToCurve(publicKey, alpha, out var h));
        var hEncoded = new byte[33];
        CurvePoint.SerializeCompressed(h, hEncoded);

        var proof = new byte[EcVrf.ProofSize];
        var gamma = h;
        Assert.True(CurvePoint.TryMultiply(ref gamma, secret));
        CurvePoint.SerializeCompressed(gamma, proof.AsSpan(0, 33));

        var nonceInput = new byte[32];
        if (legacyNonceInput)
            hEncoded.AsSpan(0, 32).CopyTo(nonceInput);
        else
            Sha256.Hash(hEncoded, nonceInput);
        var k = new byte[32];
        Rfc6979Nonce.Generate(secret, nonceInput, k);

        Assert.True(CurvePoint.TryMultiplyGenerator(k, out var u));
        var v = h;
        Assert.True(CurvePoint.TryMultiply(ref v, k));
        var uEncoded = new byte[33];
        var vEncoded = new byte[33];
        CurvePoint.SerializeCompressed(u, uEncoded);
        CurvePoint.SerializeCompressed(v, vEncoded);
        Secp256k1Sha256Tai.Challenge(hEncoded, proof.AsSpan(0, 33), uEncoded, vEncoded, proof.AsSpan(33, 16));

        var c = new byte[32];
        proof.AsSpan(33, 16).CopyTo(c.AsSpan(16));
        Scalar.MultiplyAdd(k, c, secret, proof.AsSpan(49, 32));
        return proof;
    }
}
