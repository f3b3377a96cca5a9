using System.Buffers;
using System.Text;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>
/// The gossipsub RPCs of a real js-libp2p 2.10 / gossipsub 14.1.2 connection, from /work/shared/interop/capture.txt
/// (first capture, decrypted view from peer B; "stream 3 SENT" and "stream 4 RECV"). Peer A is the secp256k1 key
/// 0x11×32, peer B the Ed25519 seed 0x22×32; their public-key protobufs are in the interop README. The capture
/// prints only the first 64 bytes of each publish RPC plus a summary of its fields, so the publishes are rebuilt
/// from those fields and checked against the captured bytes and lengths.
/// </summary>
public sealed class JsCaptureTests
{
    private const string SubscribeFrame = "0d0a0b08011207696e7465726f70";   // subscriptions{subscribe=true, topicid="interop"}
    private const string GraftFrame = "0d1a0b1a090a07696e7465726f70";       // control.graft{topicID="interop"}

    private const string KeyA = "08021221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa";
    private const string KeyB = "08011220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0";

    // B's publish: frame prefix b4 01 (180 bytes), then these first 64 bytes of the RPC.
    private const string PublishB64 =
        "12b1010a2600240801" + "1220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0"
        + "120c68656c6c6f2066726f6d2042" + "1a082db234b821";
    private const string SignaturePrefixB = "028982e658254b2e6b5855f53c761bbd570ca550357f246a";

    // A's publish: frame prefix bc 01 (188 bytes), then these first 64 bytes.
    private const string PublishA64 =
        "12b9010a2700250802" + "1221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa"
        + "120c68656c6c6f2066726f6d2041" + "1a0855513324";
    private const string SignaturePrefixA = "304402202cd946fc24d17a747a5df27576fea170b3f21908";

    [Fact]
    public void SubscriptionAndGraftFramesDecode()
    {
        var subscribe = RpcView.FromFrame(Convert.FromHexString(SubscribeFrame));
        Assert.Equal([(true, "interop")], subscribe.Subscriptions);
        Assert.Empty(subscribe.Grafts);
        var graft = RpcView.FromFrame(Convert.FromHexString(GraftFrame));
        Assert.Empty(graft.Subscriptions);
        Assert.Equal(["interop"], graft.Grafts);
    }

    [Fact]
    public void OurBuilderWritesTheSameBytesJsDoes()
    {
        var builder = new RpcBuilder();
        builder.AddSubscription(true, "interop"u8.ToArray());
        Assert.Equal(SubscribeFrame, Convert.ToHexString(TestMessages.Frame(builder)).ToLowerInvariant());
        builder.Clear();
        builder.AddGraft("interop"u8.ToArray());
        Assert.Equal(GraftFrame, Convert.ToHexString(TestMessages.Frame(builder)).ToLowerInvariant());
    }

    public static TheoryData<string, string, string, string, int, string> Publishes => new()
    {
        { KeyB, "hello from B", "2db234b8214a9900", SignaturePrefixB, 64, "b401" + PublishB64 },
        { KeyA, "hello from A", "55513324b0773309", SignaturePrefixA, 70, "bc01" + PublishA64 },
    };

    [Theory]
    [MemberData(nameof(Publishes))]
    public void RebuiltPublishesMatchTheCapturedBytesAndLengths(
        string key, string data, string seqno, string signaturePrefix, int signatureLength, string capturedStart)
    {
        var message = CapturedMessage(key, data, seqno, signaturePrefix, signatureLength);
        var builder = new RpcBuilder();
        builder.AddMessage(TestMessages.Encode(message));
        var frame = Convert.ToHexString(TestMessages.Frame(builder)).ToLowerInvariant();
        // The captured start includes the frame's length prefix, so the whole RPC has js's length too.
        Assert.StartsWith(capturedStart, frame);

        var rpc = RpcView.FromFrame(Convert.FromHexString(frame)).Messages.Single();
        Assert.Equal(Core.Formats.ProtobufError.None, MessageLayout.TryRead(rpc, out var layout, out _));
        var fields = layout.Fields(rpc);
        Assert.Equal(MessageRejection.None, MessageAuthenticator.CheckStructure(SignaturePolicy.StrictSign, fields));
        Assert.Equal("interop", Encoding.UTF8.GetString(fields.Topic));
        Assert.Equal(data, Encoding.UTF8.GetString(fields.Data));
        Assert.True(MessageIds.TryGetInlinedKey(fields.From, out var inlined));
        Assert.Equal(key, Convert.ToHexString(inlined).ToLowerInvariant());

        // js ids: protobuf(public key) ‖ seqno; go ids: from ‖ seqno.
        Span<byte> id = stackalloc byte[MessageIds.MaxLength];
        var length = MessageIds.JsStrictSign(fields, id);
        Assert.Equal(key + seqno, Convert.ToHexString(id[..length]).ToLowerInvariant());
        length = MessageIds.Go(fields, id);
        Assert.Equal(Convert.ToHexString(fields.From) + seqno.ToUpperInvariant(), Convert.ToHexString(id[..length]));
    }

    /// <summary>The interop README's deterministic keys: A = secp256k1 scalar 0x11×32, B = Ed25519 seed 0x22×32.</summary>
    internal static PeerPrivateKey Key(char peer) => peer == 'A'
        ? new Secp256k1PeerPrivateKey(Secp256k1PrivateKey.FromBytes(Enumerable.Repeat((byte)0x11, 32).ToArray()))
        : new Ed25519PeerPrivateKey(Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)0x22, 32).ToArray()));

    [Theory]
    [InlineData('A', "16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3", KeyA)]
    [InlineData('B', "12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns", KeyB)]
    public void TheSignerPublishesUnderTheReadmeIdentities(char peer, string peerId, string publicKey)
    {
        using var key = Key(peer);
        var signer = new PeerKeySigner(key);
        Assert.Equal(peerId, Core.Formats.Base58.Encode(signer.PeerId.Span));
        Assert.Equal(publicKey, Convert.ToHexString(signer.PublicKey.Span).ToLowerInvariant());
    }

    /// <summary>
    /// Both signature schemes are deterministic (Ed25519, and ECDSA with RFC 6979 nonces in js and in libsecp256k1), so
    /// signing the rebuilt payload with the README keys must give the very signatures js sent — a check of the
    /// payload layout and the signing together, against bytes of a real js node.
    /// </summary>
    [Theory]
    [InlineData('A', "hello from A", "55513324b0773309", SignaturePrefixA, 70, PublishA64)]
    [InlineData('B', "hello from B", "2db234b8214a9900", SignaturePrefixB, 64, PublishB64)]
    public void SigningTheCapturedMessagesReproducesTheSignaturesJsSent(
        char peer, string data, string seqno, string signaturePrefix, int signatureLength, string capturedStart)
    {
        using var key = Key(peer);
        var signer = new PeerKeySigner(key);
        var fields = new TestMessages.Fields(signer.PeerId.ToArray(), Encoding.UTF8.GetBytes(data),
            Convert.FromHexString(seqno), "interop"u8.ToArray(), null, signer.PublicKey.ToArray());
        var unsigned = fields.ToMessageFields(withAuthentication: false);
        var payload = new byte[MessageEncoder.GetSignaturePayloadSize(unsigned)];
        MessageEncoder.WriteSignaturePayload(unsigned, payload);
        var signature = new byte[signer.MaxSignatureLength];
        var length = signer.Sign(payload, signature);

        Assert.Equal(signatureLength, length);
        Assert.StartsWith(signaturePrefix, Convert.ToHexString(signature, 0, length).ToLowerInvariant());
        var message = TestMessages.Encode(fields with { Signature = signature[..length] });
        var builder = new RpcBuilder();
        builder.AddMessage(message);
        Assert.StartsWith(capturedStart, Convert.ToHexString(TestMessages.Frame(builder)).ToLowerInvariant()[4..]);

        Assert.Equal(Core.Formats.ProtobufError.None, MessageLayout.TryRead(message, out var layout, out _));
        Assert.Equal(MessageRejection.None, MessageAuthenticator.VerifySignature(new PeerKeyVerifier(), layout.Fields(message)));
    }

    [Fact]
    public void TheCapturedPublishPrefixAloneIsATypedError()
    {
        var decoder = new RpcDecoder();
        Assert.Equal(RpcError.LengthOutOfRange, decoder.Decode(Convert.FromHexString(PublishB64), RpcLimits.Default));
        Assert.Equal(3, decoder.ErrorOffset);
    }

    [Fact]
    public void TheSignedPayloadIsThePrefixAndTheMessageWithoutSignatureAndKey()
    {
        var message = CapturedMessage(KeyB, "hello from B", "2db234b8214a9900", SignaturePrefixB, 64);
        var fields = message.ToMessageFields(withAuthentication: true);
        var payload = new byte[MessageEncoder.GetSignaturePayloadSize(fields)];
        MessageEncoder.WriteSignaturePayload(fields, payload);
        // "libp2p-pubsub:" then from, data, seqno, topic exactly as in the captured RPC (its bytes 3..) up to the topic.
        var expected = "libp2p-pubsub:"u8.ToArray().Concat(Convert.FromHexString(PublishB64)[3..])
            .Concat(Convert.FromHexString("4a9900" + "2207696e7465726f70")).ToArray();
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(payload));
    }

    /// <summary>A captured message with its signature's unknown tail (the capture truncates it) filled with zeros.</summary>
    internal static TestMessages.Fields CapturedMessage(
        string key, string data, string seqno, string signaturePrefix, int signatureLength)
    {
        var keyBytes = Convert.FromHexString(key);
        var signature = new byte[signatureLength];
        Convert.FromHexString(signaturePrefix).CopyTo(signature, 0);
        return new TestMessages.Fields(
            [0x00, (byte)keyBytes.Length, .. keyBytes], Encoding.UTF8.GetBytes(data), Convert.FromHexString(seqno),
            "interop"u8.ToArray(), signature, keyBytes);
    }

    [Fact]
    public void CapturedFramesArriveWholeEvenWhenSplitAcrossReads()
    {
        var stream = Convert.FromHexString(SubscribeFrame + GraftFrame);
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            var buffer = Segments.Split(stream, 1, cut);
            Assert.Equal(OperationStatus.Done, RpcFrame.TryRead(ref buffer, RpcFrame.DefaultMaxRpcSize, out var first, out _));
            Assert.Equal(OperationStatus.Done, RpcFrame.TryRead(ref buffer, RpcFrame.DefaultMaxRpcSize, out var second, out _));
            Assert.Equal(SubscribeFrame[2..], Convert.ToHexString(first.ToArray()).ToLowerInvariant());
            Assert.Equal(GraftFrame[2..], Convert.ToHexString(second.ToArray()).ToLowerInvariant());
        }
    }
}
