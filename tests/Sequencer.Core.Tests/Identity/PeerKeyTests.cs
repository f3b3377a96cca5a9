using FsCheck.Xunit;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Identity;

namespace Sequencer.Core.Tests.Identity;

public sealed class PeerKeyTests
{
    [Fact]
    public void Ed25519SpecVectorsDecodeAndReencode()
    {
        var privateProtobuf = PeerIdsSpecVectors.Get("ed25519-private-key");
        var publicProtobuf = PeerIdsSpecVectors.Get("ed25519-public-key");

        Assert.Equal(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(privateProtobuf, out var privateKey));
        using (privateKey)
        {
            Assert.Equal(KeyType.Ed25519, privateKey!.Type);
            Assert.Equal(publicProtobuf, privateKey.PublicKey.ToProtobuf());
            Assert.Equal(privateProtobuf, privateKey.ToProtobuf());
            // base58btc of 0x00 0x24 ‖ the public key protobuf, worked out by hand outside this code base.
            Assert.Equal("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", privateKey.PublicKey.ToPeerId().ToString());
        }

        Assert.Equal(IdentityError.None, PeerPublicKey.TryDecodeProtobuf(publicProtobuf, out var publicKey));
        Assert.Equal(KeyType.Ed25519, publicKey!.Type);
        Assert.Equal(publicProtobuf, publicKey.ToProtobuf());
        Assert.Equal(publicProtobuf.Length, publicKey.ProtobufSize);
    }

    [Theory]
    [InlineData("rsa-private-key")]
    [InlineData("ecdsa-private-key")]
    public void UnsupportedSpecPrivateKeysGiveATypedError(string name)
    {
        Assert.Equal(IdentityError.UnsupportedKeyType, PeerPrivateKey.TryDecodeProtobuf(PeerIdsSpecVectors.Get(name), out var key));
        Assert.Null(key);
    }

    [Theory]
    [InlineData("rsa-public-key")]
    [InlineData("ecdsa-public-key")]
    public void UnsupportedSpecPublicKeysGiveATypedError(string name)
    {
        Assert.Equal(IdentityError.UnsupportedKeyType, PeerPublicKey.TryDecodeProtobuf(PeerIdsSpecVectors.Get(name), out var key));
        Assert.Null(key);
    }

    [Fact]
    public void InteropEd25519KeyHasTheJsPeerId()
    {
        // /work/shared/interop/README.md: js-libp2p's deterministic key, seed 0x22 × 32.
        using var key = new Ed25519PeerPrivateKey(Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)0x22, 32).ToArray()));
        Assert.Equal("08011220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0",
            Convert.ToHexStringLower(key.PublicKey.ToProtobuf()));
        Assert.Equal("12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns", key.PublicKey.ToPeerId().ToString());
    }

    [Fact]
    public void LegacyEd25519PrivateKeyWithTheRepeatedPublicKeyIsRead()
    {
        var modern = PeerIdsSpecVectors.Get("ed25519-private-key");
        var legacy = Protobuf(1, [.. modern.AsSpan(4), .. modern.AsSpan(4 + 32)]);
        Assert.Equal(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(legacy, out var key));
        using (key)
            Assert.Equal(modern, key!.ToProtobuf());

        legacy[^1] ^= 1;
        Assert.Equal(IdentityError.InvalidKey, PeerPrivateKey.TryDecodeProtobuf(legacy, out _));
    }

    [Fact]
    public void Ed25519PrivateKeyWhosePublicHalfIsNotTheSeedsIsRefused()
    {
        var protobuf = PeerIdsSpecVectors.Get("ed25519-private-key");
        protobuf[^1] ^= 0x40;
        Assert.Equal(IdentityError.InvalidKey, PeerPrivateKey.TryDecodeProtobuf(protobuf, out var key));
        Assert.Null(key);
    }

    [Theory]
    [InlineData("", IdentityError.MissingField)]
    [InlineData("0801", IdentityError.MissingField)]
    [InlineData("1220" + Ed25519Hex + "0801", IdentityError.UnexpectedField)]
    [InlineData("08011220" + Ed25519Hex + "1800", IdentityError.UnexpectedField)]
    [InlineData("08010801", IdentityError.UnexpectedField)]
    [InlineData("0a0101", IdentityError.MalformedProtobuf)]
    [InlineData("08", IdentityError.Truncated)]
    [InlineData("080112", IdentityError.Truncated)]
    [InlineData("08011221" + Ed25519Hex, IdentityError.Truncated)]
    [InlineData("08ffffffffffffffffffff01", IdentityError.MalformedProtobuf)]
    [InlineData("08811221" + Ed25519Hex, IdentityError.UnexpectedField)]
    [InlineData("0881001220" + Ed25519Hex, IdentityError.NonCanonicalEncoding)]
    [InlineData("080112a000" + Ed25519Hex, IdentityError.NonCanonicalEncoding)]
    [InlineData("08051220" + Ed25519Hex, IdentityError.UnsupportedKeyType)]
    [InlineData("0801121f" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddee", IdentityError.InvalidKeyLength)]
    public void MalformedPublicKeysGiveTypedErrors(string hex, IdentityError expected)
    {
        Assert.Equal(expected, PeerPublicKey.TryDecodeProtobuf(Convert.FromHexString(hex), out var key));
        Assert.Null(key);
    }

    [Fact]
    public void Ed25519PrivateKeyOfAnotherLengthIsRefused()
    {
        Assert.Equal(IdentityError.InvalidKeyLength, PeerPrivateKey.TryDecodeProtobuf(Protobuf(1, new byte[32]), out _));
        Assert.Equal(IdentityError.InvalidKeyLength, PeerPrivateKey.TryDecodeProtobuf(Protobuf(1, new byte[65]), out _));
    }

    [Fact]
    public void EveryTruncationOfEveryVectorIsATypedError()
    {
        foreach (var name in new[] { "ed25519-private-key", "ed25519-public-key", "secp256k1-private-key", "secp256k1-public-key" })
        {
            var protobuf = PeerIdsSpecVectors.Get(name);
            for (var length = 0; length < protobuf.Length; length++)
            {
                Assert.NotEqual(IdentityError.None, PeerPublicKey.TryDecodeProtobuf(protobuf.AsSpan(0, length), out var publicKey));
                Assert.Null(publicKey);
                Assert.NotEqual(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(protobuf.AsSpan(0, length), out var privateKey));
                Assert.Null(privateKey);
            }
        }
    }

    [Fact]
    public void EveryBitFlipOfAnEd25519PrivateKeyIsATypedError()
    {
        // Seed and public key must agree, and the framing bytes admit no other reading: no flip yields a key.
        var protobuf = PeerIdsSpecVectors.Get("ed25519-private-key");
        for (var bit = 0; bit < protobuf.Length * 8; bit++)
        {
            protobuf[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(protobuf, out var key));
            Assert.Null(key);
            protobuf[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    [Property]
    public bool BitFlipsOfPublicKeysNeverThrowAndNeverDecodeToTheSameKey(uint position, bool secp256k1)
    {
        var protobuf = PeerIdsSpecVectors.Get(secp256k1 ? "secp256k1-public-key" : "ed25519-public-key");
        Assert.Equal(IdentityError.None, PeerPublicKey.TryDecodeProtobuf(protobuf, out var original));
        var bit = (int)(position % (uint)(protobuf.Length * 8));
        protobuf[bit / 8] ^= (byte)(1 << (bit % 8));
        var error = PeerPublicKey.TryDecodeProtobuf(protobuf, out var flipped);
        return error == IdentityError.None ? !flipped!.Equals(original) && flipped.ToProtobuf().AsSpan().SequenceEqual(protobuf) : flipped is null;
    }

    [Property]
    public bool ArbitraryBytesNeverThrow(byte[] input) =>
        (PeerPublicKey.TryDecodeProtobuf(input, out var publicKey) == IdentityError.None) == publicKey is not null
        && DecodesPrivateConsistently(input);

    [Theory]
    [InlineData(KeyType.Ed25519)]
    [InlineData(KeyType.Secp256k1)]
    public void GeneratedKeysRoundTripAndSign(KeyType type)
    {
        using var key = PeerPrivateKey.Generate(type);
        Assert.Equal(type, key.Type);
        var protobuf = key.ToProtobuf();
        Assert.Equal(IdentityError.None, PeerPrivateKey.TryDecodeProtobuf(protobuf, out var decoded));
        using (decoded)
        {
            Assert.Equal(key.PublicKey, decoded!.PublicKey);
            var signature = new byte[key.MaxSignatureSize];
            var length = decoded.Sign("libp2p"u8, signature);
            Assert.True(key.PublicKey.Verify("libp2p"u8, signature.AsSpan(0, length)));
            Assert.False(key.PublicKey.Verify("libp2P"u8, signature.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData(KeyType.Rsa)]
    [InlineData(KeyType.Ecdsa)]
    public void GeneratingUnsupportedTypesIsRefused(KeyType type) =>
        Assert.Throws<ArgumentException>(() => PeerPrivateKey.Generate(type));

    private static bool DecodesPrivateConsistently(byte[] input)
    {
        var error = PeerPrivateKey.TryDecodeProtobuf(input, out var key);
        using (key)
            return (error == IdentityError.None) == key is not null;
    }

    internal static byte[] Protobuf(int type, byte[] data)
    {
        var protobuf = new List<byte> { 0x08, (byte)type, 0x12, (byte)data.Length };
        protobuf.AddRange(data);
        return [.. protobuf];
    }

    private const string Ed25519Hex = "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
}
