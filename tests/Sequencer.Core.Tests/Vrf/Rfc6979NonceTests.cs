using FsCheck.Xunit;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;
using Sequencer.Core.Vrf;

namespace Sequencer.Core.Tests.Vrf;

/// <summary>
/// The VRF's RFC 6979 nonce against an independent implementation: libsecp256k1's ECDSA signing uses RFC 6979 with
/// HMAC-SHA256 over (x, h mod n) when given no nonce function, and the signature's r is the x-coordinate of k·B.
/// </summary>
public sealed unsafe class Rfc6979NonceTests
{
    public static TheoryData<string> EdgeHashes =>
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000001",
        "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "8000000000000000000000000000000000000000000000000000000000000000",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", // n − 1
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", // n: bits2octets gives 0
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142", // n + 1
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ];

    [Theory]
    [MemberData(nameof(EdgeHashes))]
    public void MatchesLibsecp256k1OnHashesAroundTheGroupOrder(string hashHex)
    {
        var secret = VrfTestKeys.SecretFromSeed("rfc6979 edge"u8);
        Assert.Equal(EcdsaR(secret, Convert.FromHexString(hashHex)), NonceX(secret, Convert.FromHexString(hashHex)));
    }

    [Property]
    public bool MatchesLibsecp256k1ForRandomKeysAndHashes(byte[] keySeed, byte[] message)
    {
        var secret = VrfTestKeys.SecretFromSeed(keySeed);
        var hash = new byte[32];
        Sha256.Hash(message, hash);
        return EcdsaR(secret, hash).AsSpan().SequenceEqual(NonceX(secret, hash));
    }

    [Fact]
    public void IsDeterministicAndInRange()
    {
        var secret = VrfTestKeys.SecretFromSeed("determinism"u8);
        var hash = VrfTestKeys.SecretFromSeed("message"u8);
        var first = new byte[32];
        var second = new byte[32];
        Rfc6979Nonce.Generate(secret, hash, first);
        Rfc6979Nonce.Generate(secret, hash, second);
        Assert.Equal(first, second);
        Assert.True(Scalar.IsInRange(first));
    }

    /// <summary>x(k·B) for the VRF's nonce k (equal to r while x &lt; n, i.e. except with probability 2^-128).</summary>
    private static byte[] NonceX(byte[] secret, byte[] hash)
    {
        var k = new byte[32];
        Rfc6979Nonce.Generate(secret, hash, k);
        Assert.True(CurvePoint.TryMultiplyGenerator(k, out var r));
        var encoded = new byte[33];
        CurvePoint.SerializeCompressed(r, encoded);
        return encoded[1..];
    }

    private static byte[] EcdsaR(byte[] secret, byte[] hash)
    {
        Secp256k1EcdsaSignatureData signature;
        var compact = new byte[64];
        fixed (byte* key = secret)
        fixed (byte* message = hash)
        fixed (byte* output = compact)
        {
            Assert.Equal(1, Secp256k1Native.secp256k1_ecdsa_sign(Secp256k1Context.Shared, &signature, message, key, 0, 0));
            Assert.Equal(1, Secp256k1Native.secp256k1_ecdsa_signature_serialize_compact(Secp256k1Context.Shared, output, &signature));
        }
        return compact[..32];
    }
}
