using Sequencer.Core.Identity;
using Sequencer.Net.Noise;

namespace Sequencer.Net.Tests.Noise;

/// <summary>
/// The handshake payloads and frame sizes of a real js-libp2p connection (shared/interop/capture.txt: listener A with
/// secp256k1 key 0x11 × 32, dialler B with Ed25519 seed 0x22 × 32). The payloads are the decrypted view; the
/// encrypted frames cannot be replayed (their ephemeral keys are unknown), but their sizes pin the message layout.
/// </summary>
public sealed class NoiseCaptureTests
{
    private const string YamuxExtensions = "220e120c2f79616d75782f312e302e30";

    // First capture (both list /yamux/1.0.0).
    private const string PayloadSentByB =
        "0a2408011220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0" +
        "12404601e3a3e919ea1c48cda7ec55caa4a61cafec4cc0e79914504fc909b141fe996b5924227c2356f610a1b50f0edbce116c36f96d06105fc9e3839da40fbb8a02" +
        YamuxExtensions;

    private const string PayloadReceivedFromA =
        "0a2508021221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa" +
        "1246304402201bd5792d4716f45621eca5d8b51f21fcdfd177cb181163528a4a9e73ecccea35022004b4a24687747ed07155d62ebd6608fb237598a5781565a411e47b01deb0c71e" +
        YamuxExtensions;

    // Second capture (both send empty stream_muxers).
    private const string PayloadSentByBWithoutMuxers =
        "0a2408011220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0" +
        "124079f1dba8f377624b27abaab4789d8a48f8e2590a57e8b0ae0e04732a98a484fc25d222b87f1b0ff44bbbe5659e9809c2001c830d5d31ec626d0ccc05759e41082200";

    private const string PayloadReceivedFromAWithoutMuxers =
        "0a2508021221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa" +
        "12473045022100ed7cdd27aeeb5267b38ff1c1ba6d79fe832c223c345745806a78a51aed9bbb390220707523f79538d6fbf3dcbfdc6b0741278ea8c0dab63e901ef1ff4edca6ce00c52200";

    public static TheoryData<string, string, int, bool> CapturedPayloads => new()
    {
        { PayloadSentByB, "12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns", 64, true },
        { PayloadReceivedFromA, "16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3", 70, true },
        { PayloadSentByBWithoutMuxers, "12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns", 64, false },
        { PayloadReceivedFromAWithoutMuxers, "16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3", 71, false },
    };

    [Theory]
    [MemberData(nameof(CapturedPayloads))]
    public void JsPayloadsDecodeAndReencodeByteForByte(string payloadHex, string peerId, int signatureLength, bool listsYamux)
    {
        var bytes = Convert.FromHexString(payloadHex);
        Assert.Equal(NoiseError.None, NoiseHandshakePayload.TryRead(bytes, out var payload, out var failure));
        Assert.Equal("", failure);
        Assert.Equal(IdentityError.None, PeerPublicKey.TryDecodeProtobuf(payload.IdentityKey, out var key));
        Assert.Equal(peerId, key!.ToPeerId().ToString());
        Assert.Equal(signatureLength, payload.IdentitySignature.Length);
        Assert.Equal(listsYamux ? ["/yamux/1.0.0"] : [], payload.StreamMuxers);

        var reencoded = new byte[payload.GetSize()];
        Assert.Equal(bytes.Length, payload.Write(reencoded));
        Assert.Equal(bytes, reencoded);
    }

    [Fact]
    public void OurPayloadHasJsLayoutAndSignsTheStaticKey()
    {
        using var key = TestIdentities.Ed25519Fixed();
        var staticPublicKey = new byte[32];
        Sequencer.Core.Crypto.Curve25519.X25519.GenerateKeyPair(new byte[32], staticPublicKey);
        var payload = NoiseSecurity.CreatePayload(key, staticPublicKey, [NoiseOptions.YamuxProtocolId]);

        // The same 120-byte layout as B's payload: identity key, a 64-byte signature, the yamux extension.
        Assert.Equal(120, payload.Length);
        Assert.Equal(Convert.FromHexString(PayloadSentByB)[..40], payload[..40]);
        Assert.Equal(Convert.FromHexString(YamuxExtensions), payload[^16..]);
        Assert.Equal(NoiseError.None,
            NoiseSecurity.TryVerifyPayload(payload, staticPublicKey, key.PublicKey.ToPeerId(), out var remote, out var muxers, out _));
        Assert.Equal(key.PublicKey, remote);
        Assert.Equal(["/yamux/1.0.0"], muxers);
    }

    [Fact]
    public void CapturedFrameLengthsMatchTheMessageLayout()
    {
        // msg1: 0x0020, msg2 (A's 127-byte payload): 0x00df, msg3 (B's 120-byte payload): 0x00b8,
        // first transport message (a 12-byte yamux header): 0x001c.
        Assert.Equal(0x20, NoiseXXHandshakeState.GetMessageSize(0, 0));
        Assert.Equal(0xdf, NoiseXXHandshakeState.GetMessageSize(1, Convert.FromHexString(PayloadReceivedFromA).Length));
        Assert.Equal(0xb8, NoiseXXHandshakeState.GetMessageSize(2, Convert.FromHexString(PayloadSentByB).Length));
        Assert.Equal(0x1c, 12 + CipherState.TagSize);
    }

    [Fact]
    public void ACapturedSignatureDoesNotVerifyOverAnotherStaticKey()
    {
        // The captured signature signs the (unknown) static key of that connection; over any other key it fails.
        Assert.Equal(NoiseError.InvalidSignature,
            NoiseSecurity.TryVerifyPayload(Convert.FromHexString(PayloadReceivedFromA), new byte[32], null, out _, out _, out var failure));
        Assert.Contains("16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3", failure);
    }
}
