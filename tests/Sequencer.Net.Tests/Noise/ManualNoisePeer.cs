using System.Buffers.Binary;
using System.IO.Pipelines;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Identity;
using Sequencer.Net.Noise;
using Sequencer.Net.Tests.Transport;

namespace Sequencer.Net.Tests.Noise;

/// <summary>
/// One side of a Noise connection played by hand: the test chooses every handshake payload and can send raw frames,
/// before and after the handshake (with the transport ciphers it obtains from <see cref="Split"/>).
/// </summary>
internal sealed class ManualNoisePeer : IDisposable
{
    private readonly byte[] _staticPrivateKey = new byte[X25519.KeySize];

    public ManualNoisePeer(bool isInitiator, IDuplexPipe wire)
    {
        Wire = wire;
        X25519.GenerateKeyPair(_staticPrivateKey, new byte[X25519.KeySize]);
        State = new NoiseXXHandshakeState(isInitiator, [], _staticPrivateKey);
    }

    public IDuplexPipe Wire { get; }

    public NoiseXXHandshakeState State { get; }

    public CipherState? Send { get; private set; }

    public CipherState? Receive { get; private set; }

    /// <summary>A valid payload for <paramref name="identity"/> over this peer's static key.</summary>
    public byte[] ValidPayload(PeerPrivateKey identity, params string[] muxers) =>
        NoiseSecurity.CreatePayload(identity, State.StaticPublicKey, muxers);

    public async Task SendMessageAsync(byte[] payload)
    {
        var message = new byte[NoiseXXHandshakeState.GetMessageSize(State.MessageIndex, payload.Length)];
        Assert.Equal(NoiseError.None, State.WriteMessage(payload, message, out var written));
        await SendFrameAsync(message[..written]);
    }

    public async Task<byte[]> ReceiveMessageAsync()
    {
        var message = await ReceiveFrameAsync();
        var payload = new byte[message.Length];
        var error = State.ReadMessage(message, payload, out var length);
        Assert.Equal(NoiseError.None, error);
        return payload[..length];
    }

    public void Split() => (Send, Receive) = State.Split();

    /// <summary>Encrypts <paramref name="plaintext"/> as one transport frame (after <see cref="Split"/>).</summary>
    public byte[] EncryptFrame(byte[] plaintext)
    {
        var ciphertext = new byte[plaintext.Length + CipherState.TagSize];
        Assert.Equal(NoiseError.None, Send!.EncryptWithAd([], plaintext, ciphertext, out _));
        return Frame(ciphertext);
    }

    public async Task<byte[]> ReceiveTransportAsync()
    {
        var frame = await ReceiveFrameAsync();
        var plaintext = new byte[frame.Length];
        Assert.Equal(NoiseError.None, Receive!.DecryptWithAd([], frame, plaintext, out var length));
        return plaintext[..length];
    }

    public Task SendFrameAsync(byte[] body) => SendRawAsync(Frame(body));

    public Task SendRawAsync(byte[] bytes) => Wire.Output.WriteAndFlushAsync(bytes);

    public async Task<byte[]> ReceiveFrameAsync()
    {
        var prefix = await Wire.Input.ReadExactlyAsync(2);
        return await Wire.Input.ReadExactlyAsync(BinaryPrimitives.ReadUInt16BigEndian(prefix));
    }

    public static byte[] Frame(byte[] body)
    {
        var frame = new byte[2 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)body.Length);
        body.CopyTo(frame, 2);
        return frame;
    }

    public void Dispose()
    {
        State.Dispose();
        Send?.Dispose();
        Receive?.Dispose();
    }
}
