using System.Text;
using Sequencer.Core.Identity;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

public sealed class PeerKeyVerifierTests
{
    private static (byte[] From, byte[] Key, byte[] Payload, byte[] Signature) Signed(PeerPrivateKey key, string text)
    {
        var signer = new PeerKeySigner(key);
        var fields = new TestMessages.Fields(signer.PeerId.ToArray(), Encoding.UTF8.GetBytes(text),
            new byte[8], "t"u8.ToArray(), null, signer.PublicKey.ToArray()).ToMessageFields(withAuthentication: false);
        var payload = new byte[MessageEncoder.GetSignaturePayloadSize(fields)];
        MessageEncoder.WriteSignaturePayload(fields, payload);
        var signature = new byte[signer.MaxSignatureLength];
        var length = signer.Sign(payload, signature);
        return (signer.PeerId.ToArray(), signer.PublicKey.ToArray(), payload, signature[..length]);
    }

    [Theory]
    [InlineData(KeyType.Ed25519)]
    [InlineData(KeyType.Secp256k1)]
    public void ChecksKeyAgainstFromAndTheSignature(KeyType type)
    {
        using var key = PeerPrivateKey.Generate(type);
        using var other = PeerPrivateKey.Generate(type);
        var (from, publicKey, payload, signature) = Signed(key, "vote");
        var otherKey = other.PublicKey.ToProtobuf();
        var verifier = new PeerKeyVerifier();

        for (var round = 0; round < 2; round++)   // the second round runs on the cached author
        {
            Assert.Equal(SignatureCheck.Valid, verifier.Verify(from, publicKey, payload, signature));
            Assert.Equal(SignatureCheck.Valid, verifier.Verify(from, [], payload, signature));   // key inlined in from
            Assert.Equal(SignatureCheck.KeyMismatch, verifier.Verify(from, otherKey, payload, signature));
            var flipped = signature.ToArray();
            flipped[^1] ^= 1;
            Assert.Equal(SignatureCheck.InvalidSignature, verifier.Verify(from, publicKey, payload, flipped));
            Assert.Equal(SignatureCheck.InvalidSignature, verifier.Verify(from, publicKey, payload[..^1], signature));
        }
        Assert.Equal(SignatureCheck.InvalidPeerId, new PeerKeyVerifier().Verify(from[..^1], publicKey, payload, signature));
        Assert.Equal(SignatureCheck.InvalidKey, new PeerKeyVerifier().Verify(from, publicKey[..^1], payload, signature));
        // Another peer's valid signature under its own key, claimed for our from.
        var (_, theirKey, theirPayload, theirSignature) = Signed(other, "vote");
        Assert.Equal(SignatureCheck.KeyMismatch, verifier.Verify(from, theirKey, theirPayload, theirSignature));
    }

    [Fact]
    public void APeerIdThatHashesItsKeyNeedsTheKeyField()
    {
        // A SHA-256 multihash peer id (as RSA peers have) inlines no key.
        var from = new byte[34];
        from[0] = 0x12;
        from[1] = 0x20;
        Assert.Equal(SignatureCheck.InvalidKey, new PeerKeyVerifier().Verify(from, [], [1], [2]));
    }

    [Theory]
    [InlineData(SignaturePolicy.StrictSign)]
    [InlineData(SignaturePolicy.StrictNoSign)]
    public void ARouterForAnIdentityPublishesAsThatPeer(SignaturePolicy policy)
    {
        using var key = PeerPrivateKey.Generate(KeyType.Secp256k1);
        var options = new GossipSubOptions { SignaturePolicy = policy, AllowPublishToZeroPeers = true };
        using var router = GossipSubRouter.ForIdentity(options, key, TimeProvider.System, new Random(3));
        Assert.Equal(key.PublicKey.ToPeerId().Bytes.ToArray(), router.LocalPeerId.ToArray());
        var result = router.Publish("t", [1]);
        Assert.Equal(PublishStatus.Published, result.Status);
        if (policy == SignaturePolicy.StrictSign)
            Assert.Equal(key.PublicKey.ToProtobuf().Length + 8, result.MessageId.Length);   // js id: key ‖ seqno
        else
            Assert.Equal(32, result.MessageId.Length);                                        // sha256(data)
    }
}
