using FsCheck.Xunit;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;

namespace Sequencer.Core.Tests.Identity;

public sealed class Secp256k1PeerKeyTests
{
    [Fact]
    public void SpecVectorsDecodeAndReencode()
    {
        var privateProtobuf = PeerIdsSpecVectors.Get("secp256k1-private-key");
        var publicProtobuf = PeerIdsSpecVectors.Get("secp256k1-public-key");

        Assert.Equal(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(privateProtobuf, out var privateKey));
        using (privateKey)
        {
            Assert.Equal(KeyType.Secp256k1, privateKey!.Type);
            Assert.Equal(publicProtobuf, privateKey.PublicKey.ToProtobuf());
            Assert.Equal(privateProtobuf, privateKey.ToProtobuf());
            // The peer id /work/shared/interop/README.md gives for the spec's key.
            Assert.Equal("16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY", privateKey.PublicKey.ToPeerId().ToString());
        }

        Assert.Equal(IdentityError.None, PeerPublicKey.TryDecodeProtobuf(publicProtobuf, out var publicKey));
        Assert.Equal(publicProtobuf, publicKey!.ToProtobuf());
        Assert.True(PeerId.Parse("16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY").TryGetPublicKey(out var embedded));
        Assert.Equal(publicKey, embedded);
    }

    [Fact]
    public void InteropKeyHasTheJsPeerId()
    {
        // /work/shared/interop/README.md: js-libp2p's deterministic secp256k1 key, scalar 0x11 × 32.
        var secret = Enumerable.Repeat((byte)0x11, 32).ToArray();
        Assert.Equal(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(PeerKeyTests.Protobuf(2, secret), out var key));
        using (key)
        {
            Assert.Equal("08021221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa",
                Convert.ToHexStringLower(key!.PublicKey.ToProtobuf()));
            Assert.Equal("16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3", key.PublicKey.ToPeerId().ToString());
        }
    }

    // Scalars whose first byte is ≥ 0x80, which an implementation reading the scalar as a signed number gets wrong:
    // BIP32 test vector 1's master key (bitcoin/bips bip-0032), and n − 1, n − 2, n − 3, whose public keys are
    // −G, −2G and −3G (the well-known x coordinates of G, 2G and 3G with the odd-y prefix 03).
    [Theory]
    [InlineData("e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35", "0339a36013301597daef41fbe593a02cc513d0b55527ec2df1050e2e8ff49c85c2")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", "0379be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd036413f", "03c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd036413e", "03f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9")]
    public void HighScalarsDeriveTheRightPublicKey(string secretHex, string compressedHex)
    {
        var protobuf = PeerKeyTests.Protobuf(2, Convert.FromHexString(secretHex));
        Assert.Equal(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(protobuf, out var key));
        using (key)
        {
            Assert.Equal(compressedHex, Convert.ToHexStringLower(key!.PublicKey.RawBytes));
            Assert.Equal(protobuf, key.ToProtobuf());
            var id = key.PublicKey.ToPeerId();
            Assert.Equal(id, PeerId.Parse(id.ToString()));
            Assert.True(id.TryGetPublicKey(out var embedded));
            Assert.Equal(key.PublicKey, embedded);

            var signature = new byte[key.MaxSignatureSize];
            var length = key.Sign("high scalar"u8, signature);
            Assert.True(embedded.Verify("high scalar"u8, signature.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")] // the group order n
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void ScalarsOutsideTheGroupAreInvalidKeys(string secretHex)
    {
        Assert.Equal(IdentityError.InvalidKey,
            PeerPrivateKey.TryDecodeProtobuf(PeerKeyTests.Protobuf(2, Convert.FromHexString(secretHex)), out var key));
        Assert.Null(key);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    public void SecretsOfAnotherLengthAreRefused(int length) =>
        Assert.Equal(IdentityError.InvalidKeyLength, PeerPrivateKey.TryDecodeProtobuf(PeerKeyTests.Protobuf(2, new byte[length]), out _));

    [Fact]
    public void PublicKeysMustBePoints()
    {
        var protobuf = PeerIdsSpecVectors.Get("secp256k1-public-key");
        protobuf[4] = 0x05;
        Assert.Equal(IdentityError.InvalidKey, PeerPublicKey.TryDecodeProtobuf(protobuf, out _));
        Assert.Equal(IdentityError.InvalidKeyLength, PeerPublicKey.TryDecodeProtobuf(PeerKeyTests.Protobuf(2, new byte[32]), out _));
    }

    [Fact]
    public void UncompressedPublicKeyIsReadAndReencodedCompressed()
    {
        using var key = Secp256k1PrivateKey.FromBytes(Enumerable.Repeat((byte)0x11, 32).ToArray());
        var uncompressed = Convert.FromHexString(
            "044f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa385b6b1b8ead809ca67454d9683fcf2ba03456d6fe2c4abe2b07f0fbdbb2f1c1");
        Assert.Equal(IdentityError.None, PeerPublicKey.TryDecodeProtobuf(PeerKeyTests.Protobuf(2, uncompressed), out var decoded));
        Assert.Equal(key.PublicKey.Compressed.ToArray(), decoded!.RawBytes.ToArray());
        Assert.Equal("16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3", decoded.ToPeerId().ToString());
    }

    [Property(MaxTest = 30)]
    public bool GeneratedKeysRoundTripSignAndHaveRoundTrippingIds(byte[] message)
    {
        using var key = PeerPrivateKey.Generate(KeyType.Secp256k1);
        Assert.Equal(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(key.ToProtobuf(), out var decoded));
        using (decoded)
        {
            var signature = new byte[key.MaxSignatureSize];
            var length = decoded!.Sign(message, signature);
            var id = key.PublicKey.ToPeerId();
            return decoded.PublicKey.Equals(key.PublicKey)
                && key.PublicKey.Verify(message, signature.AsSpan(0, length))
                && PeerId.Parse(id.ToString()) == id && PeerId.Parse(id.ToCidString()) == id
                && id.ToString().StartsWith("16Uiu2", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryBitFlipOfThePrivateKeyIsRefusedOrAnotherKey()
    {
        var protobuf = PeerIdsSpecVectors.Get("secp256k1-private-key");
        Assert.Equal(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(protobuf, out var original));
        using (original)
        {
            for (var bit = 0; bit < protobuf.Length * 8; bit++)
            {
                protobuf[bit / 8] ^= (byte)(1 << (bit % 8));
                var error = PeerPrivateKey.TryDecodeProtobuf(protobuf, out var flipped);
                using (flipped)
                {
                    // Only the 32 secret bytes may flip into another valid key; a flip in the framing never decodes.
                    Assert.Equal(error == IdentityError.None, flipped is not null);
                    if (flipped is not null)
                    {
                        Assert.True(bit >= 4 * 8);
                        Assert.NotEqual(original!.PublicKey, flipped.PublicKey);
                    }
                }
                protobuf[bit / 8] ^= (byte)(1 << (bit % 8));
            }
        }
    }
}
