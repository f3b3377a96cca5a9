using FsCheck.Xunit;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Identity;

namespace Sequencer.Core.Tests.Identity;

public sealed class PeerIdTests
{
    // The peer-ids spec's examples (libp2p/specs peer-ids/peer-ids.md, "Decoding"): one SHA-256 id in both text
    // forms, and an Ed25519 identity-multihash id.
    private const string SpecSha256Cid = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";
    private const string SpecSha256Base58 = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
    private const string SpecEd25519Base58 = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    [Fact]
    public void SpecSha256IdParsesFromBothTextFormsToTheSameMultihash()
    {
        var fromCid = PeerId.Parse(SpecSha256Cid);
        var fromBase58 = PeerId.Parse(SpecSha256Base58);
        Assert.Equal(fromBase58, fromCid);
        Assert.Equal(0x12, fromCid.Bytes[0]);
        Assert.Equal(34, fromCid.Bytes.Length);
        Assert.Equal(SpecSha256Base58, fromCid.ToString());
        Assert.Equal(SpecSha256Cid, fromBase58.ToCidString());
        Assert.False(fromCid.TryGetPublicKey(out _));
    }

    [Fact]
    public void SpecEd25519IdEmbedsItsKey()
    {
        var id = PeerId.Parse(SpecEd25519Base58);
        Assert.True(id.TryGetPublicKey(out var key));
        Assert.Equal(KeyType.Ed25519, key.Type);
        Assert.Equal(id, key.ToPeerId());
        Assert.Equal(SpecEd25519Base58, id.ToString());
        Assert.Equal(id, PeerId.Parse(id.ToCidString()));
    }

    [Fact]
    public void SpecKeysGetIdentityIdsAndLongKeysAreHashed()
    {
        Assert.Equal(IdentityError.None, PeerPublicKey.TryDecodeProtobuf(PeerIdsSpecVectors.Get("ed25519-public-key"), out var ed25519));
        var id = ed25519!.ToPeerId();
        Assert.Equal([0x00, 36, .. PeerIdsSpecVectors.Get("ed25519-public-key")], id.Bytes.ToArray());

        // Keys whose protobuf exceeds 42 bytes are hashed: the spec's ECDSA (91 bytes) and RSA public keys.
        foreach (var name in new[] { "ecdsa-public-key", "rsa-public-key" })
        {
            var protobuf = PeerIdsSpecVectors.Get(name);
            var hashed = PeerId.FromPublicKeyProtobuf(protobuf);
            var digest = new byte[32];
            Sha256.Hash(protobuf, digest);
            Assert.Equal([0x12, 0x20, .. digest], hashed.Bytes.ToArray());
            Assert.StartsWith("Qm", hashed.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FortyTwoBytesIsTheLastInlineSize()
    {
        Assert.Equal(0x00, PeerId.FromPublicKeyProtobuf(new byte[42]).Bytes[0]);
        Assert.Equal(0x12, PeerId.FromPublicKeyProtobuf(new byte[43]).Bytes[0]);
    }

    [Property]
    public bool Ed25519IdsRoundTripThroughBothTextForms(byte[] seedBytes)
    {
        var seed = new byte[32];
        seedBytes.AsSpan(0, Math.Min(32, seedBytes.Length)).CopyTo(seed);
        using var key = new Ed25519PeerPrivateKey(Ed25519PrivateKey.FromSeed(seed));
        var id = key.PublicKey.ToPeerId();
        return RoundTrips(id) && id.TryGetPublicKey(out var embedded) && embedded.Equals(key.PublicKey);
    }

    [Property]
    public bool Sha256IdsRoundTripThroughBothTextForms(byte[] protobufTail)
    {
        var id = PeerId.FromPublicKeyProtobuf([.. new byte[43], .. protobufTail]);
        return RoundTrips(id);
    }

    [Property]
    public bool ArbitraryTextNeverThrows(string? text)
    {
        if (PeerId.TryParse(text, out var id))
            return !id.IsEmpty && (id.ToString() == text || id.ToCidString() == text);
        return id.IsEmpty;
    }

    [Theory]
    [InlineData("")]
    [InlineData("Qm")]
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5")]    // one digit short: 33-byte digest
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5Nx")]  // one digit long
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx50")]  // '0' is not base58
    [InlineData("zQmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")] // unsupported multibase
    [InlineData("BAFZBEIE5745RPV2M6TJYUUGYWY4D5EWRQGQQHFNF445HE3OMZPJBX5XQXE")]
    [InlineData("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxf")] // non-zero trailing bits
    [InlineData("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqx")]  // truncated
    [InlineData("bafybeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe")] // codec dag-pb, not libp2p-key
    [InlineData("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    public void RefusesText(string text)
    {
        Assert.False(PeerId.TryParse(text, out var id));
        Assert.True(id.IsEmpty);
        Assert.Throws<FormatException>(() => PeerId.Parse(text));
    }

    [Theory]
    [InlineData("0012" + "0801")]                                   // identity length says 18, 2 bytes follow
    [InlineData("1220" + "00")]                                     // SHA-256 with a 1-byte digest
    [InlineData("1221" + "000000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("1320" + "0000000000000000000000000000000000000000000000000000000000000000")] // sha2-512 code
    [InlineData("8012" + "20" + "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("002b" + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000")] // 43 inline
    [InlineData("0000")]
    [InlineData("")]
    public void RefusesMultihashes(string hex)
    {
        Assert.False(PeerId.TryFromBytes(Convert.FromHexString(hex), out var id));
        Assert.True(id.IsEmpty);
    }

    [Fact]
    public void DefaultIsEmptyAndEqualToNoRealId()
    {
        var empty = default(PeerId);
        Assert.True(empty.IsEmpty);
        Assert.NotEqual(PeerId.Parse(SpecSha256Base58), empty);
        Assert.Equal(default, empty);
        Assert.False(empty.TryGetPublicKey(out _));
    }

    private static bool RoundTrips(PeerId id) =>
        PeerId.TryParse(id.ToString(), out var fromBase58) && fromBase58 == id
        && PeerId.TryParse(id.ToCidString(), out var fromCid) && fromCid == id
        && PeerId.TryFromBytes(id.Bytes, out var fromBytes) && fromBytes == id
        && id.ToCidString()[0] == 'b' && id.GetHashCode() == fromCid.GetHashCode();
}
