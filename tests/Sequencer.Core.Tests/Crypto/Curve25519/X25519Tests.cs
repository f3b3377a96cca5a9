using FsCheck.Xunit;
using Sequencer.Core.Crypto.Curve25519;

namespace Sequencer.Core.Tests.Crypto.Curve25519;

public sealed class X25519Tests
{
    // RFC 7748 §6.1: Alice's and Bob's private keys, public keys and their shared secret K.
    private const string AlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private const string AlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private const string BobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private const string BobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private const string SharedSecret = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    [Fact]
    public void MatchesRfc7748()
    {
        var publicKey = new byte[32];
        X25519.DerivePublicKey(Convert.FromHexString(AlicePrivate), publicKey);
        Assert.Equal(AlicePublic, Convert.ToHexStringLower(publicKey));
        X25519.DerivePublicKey(Convert.FromHexString(BobPrivate), publicKey);
        Assert.Equal(BobPublic, Convert.ToHexStringLower(publicKey));

        var shared = new byte[32];
        Assert.True(X25519.TryAgree(Convert.FromHexString(AlicePrivate), Convert.FromHexString(BobPublic), shared));
        Assert.Equal(SharedSecret, Convert.ToHexStringLower(shared));
        Assert.True(X25519.TryAgree(Convert.FromHexString(BobPrivate), Convert.FromHexString(AlicePublic), shared));
        Assert.Equal(SharedSecret, Convert.ToHexStringLower(shared));
    }

    // Any 32-byte string is a private key (X25519 clamps it), so arbitrary bytes exercise the whole key space.
    [Property]
    public bool BothSidesAgree(byte[] seedA, byte[] seedB)
    {
        Span<byte> a = stackalloc byte[32], aPublic = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32], bPublic = stackalloc byte[32];
        Span<byte> ab = stackalloc byte[32], ba = stackalloc byte[32];
        seedA.AsSpan(0, Math.Min(32, seedA.Length)).CopyTo(a);
        seedB.AsSpan(0, Math.Min(32, seedB.Length)).CopyTo(b);
        X25519.DerivePublicKey(a, aPublic);
        X25519.DerivePublicKey(b, bPublic);
        return X25519.TryAgree(a, bPublic, ab) && X25519.TryAgree(b, aPublic, ba) && ab.SequenceEqual(ba)
            && ab.ContainsAnyExcept((byte)0);
    }

    [Fact]
    public void GeneratedKeyPairsAreFreshAndConsistent()
    {
        Span<byte> a = stackalloc byte[32], aPublic = stackalloc byte[32], derived = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32], bPublic = stackalloc byte[32];
        X25519.GenerateKeyPair(a, aPublic);
        X25519.GenerateKeyPair(b, bPublic);
        X25519.DerivePublicKey(a, derived);
        Assert.True(derived.SequenceEqual(aPublic));
        Assert.False(a.SequenceEqual(b));
    }

    // Low-order points of Curve25519 (the all-zero point, the point of order 4 with u = 1, and one of order 8):
    // every shared secret with them is all zeros.
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]
    public void RefusesLowOrderPeerKeys(string peerHex)
    {
        var privateKey = new byte[32];
        var publicKey = new byte[32];
        X25519.GenerateKeyPair(privateKey, publicKey);
        var shared = Enumerable.Repeat((byte)0xAA, 32).ToArray();
        Assert.False(X25519.TryAgree(privateKey, Convert.FromHexString(peerHex), shared));
        Assert.All(shared, b => Assert.Equal(0, b));
    }

    [Fact]
    public void RefusesAPeerKeyOfTheWrongLength()
    {
        var shared = new byte[32];
        Assert.False(X25519.TryAgree(new byte[32], new byte[31], shared));
        Assert.Throws<ArgumentException>(() => X25519.DerivePublicKey(new byte[16], new byte[32]));
    }
}
