using FsCheck.Xunit;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Curve25519;

namespace Sequencer.Core.Tests.Crypto.Curve25519;

public sealed class Ed25519Tests
{
    // RFC 8032 §7.1, TEST 1 (empty message), TEST 2 (one byte) and TEST 3 (two bytes): secret key (the seed),
    // public key, message, signature.
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    [InlineData("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")]
    public void MatchesRfc8032(string seedHex, string publicKeyHex, string messageHex, string signatureHex)
    {
        using var key = Ed25519PrivateKey.FromSeed(Convert.FromHexString(seedHex));
        Assert.Equal(publicKeyHex, Convert.ToHexStringLower(key.PublicKey.Bytes));

        var message = Convert.FromHexString(messageHex);
        var signature = new byte[Ed25519PrivateKey.SignatureSize];
        key.Sign(message, signature);
        Assert.Equal(signatureHex, Convert.ToHexStringLower(signature));

        var publicKey = Ed25519PublicKey.Parse(Convert.FromHexString(publicKeyHex));
        Assert.True(publicKey.Verify(message, signature));
    }

    [Fact]
    public void DerivesTheInteropPublicKey()
    {
        // /work/shared/interop/README.md: the js-libp2p node's deterministic Ed25519 key, seed 0x22 × 32.
        using var key = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)0x22, 32).ToArray());
        Assert.Equal("a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0",
            Convert.ToHexStringLower(key.PublicKey.Bytes));
    }

    [Property]
    public bool SignaturesOfGeneratedKeysVerify(byte[] message)
    {
        using var key = Ed25519PrivateKey.Generate();
        var signature = new byte[64];
        key.Sign(message, signature);
        return key.PublicKey.Verify(message, signature);
    }

    [Property]
    public bool AnyFlippedBitOfMessageOrSignatureFailsVerification(byte[] message, uint position)
    {
        using var key = Ed25519PrivateKey.Generate();
        var signature = new byte[64];
        key.Sign(message, signature);

        var bit = (int)(position % (uint)((message.Length + signature.Length) * 8));
        var target = bit < message.Length * 8 ? message : signature;
        var index = bit < message.Length * 8 ? bit : bit - message.Length * 8;
        target[index / 8] ^= (byte)(1 << (index % 8));
        return !key.PublicKey.Verify(message, signature);
    }

    [Fact]
    public void SeedRoundTripsAndKeyIsDeterministic()
    {
        using var key = Ed25519PrivateKey.Generate();
        var seed = new byte[32];
        key.CopySeedTo(seed);
        using var again = Ed25519PrivateKey.FromSeed(seed);
        Assert.Equal(key.PublicKey, again.PublicKey);
    }

    [Fact]
    public void RefusesBadLengths()
    {
        Assert.Throws<InvalidKeyException>(() => Ed25519PrivateKey.FromSeed(new byte[31]));
        Assert.Throws<InvalidKeyException>(() => Ed25519PublicKey.Parse(new byte[33]));
        Assert.False(Ed25519PublicKey.TryParse([], out _));
        using var key = Ed25519PrivateKey.Generate();
        Assert.False(key.PublicKey.Verify([], new byte[63]));
        Assert.False(key.PublicKey.Verify([], new byte[65]));
    }

    [Fact]
    public void SmallOrderPublicKeyVerifiesNothing()
    {
        // The identity point (y = 1) with the all-zero "signature" R = identity, S = 0 is the classic forgery that
        // verifies for every message under a permissive verifier.
        var identity = new byte[32];
        identity[0] = 1;
        var signature = new byte[64];
        signature[0] = 1;
        Assert.False(Ed25519PublicKey.Parse(identity).Verify("anything"u8, signature));
    }

    [Fact]
    public void DisposedKeyRefusesToSign()
    {
        var key = Ed25519PrivateKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign([], new byte[64]));
        Assert.Throws<ObjectDisposedException>(() => key.CopySeedTo(new byte[32]));
    }

    [Fact]
    public void PublicKeysCompareByValue()
    {
        using var key = Ed25519PrivateKey.FromSeed(new byte[32]);
        var copy = Ed25519PublicKey.Parse(key.PublicKey.Bytes);
        Assert.Equal(key.PublicKey, copy);
        Assert.Equal(key.PublicKey.GetHashCode(), copy.GetHashCode());
        using var other = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.NotEqual(key.PublicKey, other.PublicKey);
    }
}
