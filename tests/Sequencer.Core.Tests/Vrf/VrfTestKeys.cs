using Sequencer.Core.Crypto;
using Sequencer.Core.Vrf;

namespace Sequencer.Core.Tests.Vrf;

/// <summary>Key material for the VRF tests, derived through the same libsecp256k1 calls the implementation uses.</summary>
internal static class VrfTestKeys
{
    /// <summary>secp256k1's group order n, big-endian.</summary>
    public static readonly byte[] GroupOrder = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");

    public static byte[] PublicKeyOf(ReadOnlySpan<byte> secret)
    {
        Assert.True(CurvePoint.TryMultiplyGenerator(secret, out var point));
        var encoded = new byte[EcVrf.PublicKeySize];
        CurvePoint.SerializeCompressed(point, encoded);
        return encoded;
    }

    /// <summary>A valid secret from arbitrary seed bytes: SHA-256 of them (out of range with probability 2^-128).</summary>
    public static byte[] SecretFromSeed(ReadOnlySpan<byte> seed)
    {
        var secret = new byte[32];
        Sha256.Hash(seed, secret);
        Assert.True(Scalar.IsInRange(secret));
        return secret;
    }
}
