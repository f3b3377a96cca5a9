using System.Text.Json;
using Sequencer.Net.Noise;

namespace Sequencer.Net.Tests.Noise;

/// <summary>
/// Known answers: the Cacophony vector for <c>Noise_XX_25519_ChaChaPoly_SHA256</c> (Data/Noise/, source in the file).
/// With both static keys and both ephemeral keys fixed, every handshake message, the handshake hash and the transport
/// messages after Split must come out byte for byte — from the writer, and be read back by the reader.
/// </summary>
public sealed class NoiseVectorTests
{
    private static readonly JsonElement s_vector = LoadVector();

    [Fact]
    public void HandshakeAndTransportMessagesMatchTheCacophonyVector()
    {
        var prologue = Hex("init_prologue");
        Assert.Equal(prologue, Hex("resp_prologue"));
        using var initiator = new NoiseXXHandshakeState(true, prologue, Hex("init_static"), Hex("init_ephemeral"));
        using var responder = new NoiseXXHandshakeState(false, prologue, Hex("resp_static"), Hex("resp_ephemeral"));
        var messages = s_vector.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(6, messages.Length);

        for (var i = 0; i < NoiseXXHandshakeState.MessageCount; i++)
        {
            var payload = Convert.FromHexString(messages[i].GetProperty("payload").GetString()!);
            var expected = Convert.FromHexString(messages[i].GetProperty("ciphertext").GetString()!);
            var (writer, reader) = i % 2 == 0 ? (initiator, responder) : (responder, initiator);

            var message = new byte[NoiseXXHandshakeState.GetMessageSize(i, payload.Length)];
            Assert.Equal(NoiseError.None, writer.WriteMessage(payload, message, out var written));
            Assert.Equal(expected, message[..written]);

            var received = new byte[message.Length];
            Assert.Equal(NoiseError.None, reader.ReadMessage(message, received, out var receivedLength));
            Assert.Equal(payload, received[..receivedLength]);
        }

        Assert.True(initiator.IsComplete && responder.IsComplete);
        Assert.Equal(Hex("handshake_hash"), initiator.HandshakeHash.ToArray());
        Assert.Equal(Hex("handshake_hash"), responder.HandshakeHash.ToArray());
        Assert.Equal(responder.StaticPublicKey.ToArray(), initiator.RemoteStaticKey.ToArray());
        Assert.Equal(initiator.StaticPublicKey.ToArray(), responder.RemoteStaticKey.ToArray());

        var (initiatorSend, initiatorReceive) = initiator.Split();
        var (responderSend, responderReceive) = responder.Split();
        using (initiatorSend)
        using (initiatorReceive)
        using (responderSend)
        using (responderReceive)
        {
            for (var i = NoiseXXHandshakeState.MessageCount; i < messages.Length; i++)
            {
                var payload = Convert.FromHexString(messages[i].GetProperty("payload").GetString()!);
                var expected = Convert.FromHexString(messages[i].GetProperty("ciphertext").GetString()!);
                var (send, receive) = i % 2 == 0 ? (initiatorSend, responderReceive) : (responderSend, initiatorReceive);

                var ciphertext = new byte[payload.Length + CipherState.TagSize];
                Assert.Equal(NoiseError.None, send.EncryptWithAd([], payload, ciphertext, out _));
                Assert.Equal(expected, ciphertext);
                var plaintext = new byte[payload.Length];
                Assert.Equal(NoiseError.None, receive.DecryptWithAd([], ciphertext, plaintext, out _));
                Assert.Equal(payload, plaintext);
            }
        }
    }

    [Fact]
    public void AnyAlteredHandshakeMessageIsRefusedByTheReader()
    {
        // Message 1 (e, ee, s, es, payload): every byte is bound by a tag or by the DH results behind one.
        var prologue = Hex("init_prologue");
        var original = Convert.FromHexString(s_vector.GetProperty("messages")[1].GetProperty("ciphertext").GetString()!);
        var firstMessage = Convert.FromHexString(s_vector.GetProperty("messages")[0].GetProperty("ciphertext").GetString()!);
        for (var position = 0; position < original.Length; position++)
        {
            using var initiator = new NoiseXXHandshakeState(true, prologue, Hex("init_static"), Hex("init_ephemeral"));
            var message0 = new byte[firstMessage.Length];
            initiator.WriteMessage(Convert.FromHexString(s_vector.GetProperty("messages")[0].GetProperty("payload").GetString()!), message0, out _);
            var altered = (byte[])original.Clone();
            altered[position] ^= 0x01;
            var received = new byte[altered.Length];
            var error = initiator.ReadMessage(altered, received, out _);
            Assert.True(error is NoiseError.DecryptionFailed or NoiseError.InvalidKeyAgreement,
                $"flipping a bit of byte {position} gave {error}");
        }
    }

    private static byte[] Hex(string property) => Convert.FromHexString(s_vector.GetProperty(property).GetString()!);

    private static JsonElement LoadVector()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "Noise", "cacophony-xx-25519-chachapoly-sha256.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("vectors")[0].Clone();
    }
}
