using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Curve25519;

namespace Sequencer.Net.Noise;

/// <summary>
/// The Noise HandshakeState (Noise spec §5.3) for one pattern, XX, with 25519, ChaChaPoly and SHA-256:
/// <code>
///   -> e
///   &lt;- e, ee, s, es
///   -> s, se
/// </code>
/// Pure message processing over byte spans — framing, payload meaning and I/O are the caller's
/// (<see cref="NoiseSecurity"/>). Messages alternate: the initiator writes 0 and 2 and reads 1, the responder the
/// reverse; calling out of turn throws. A failed read leaves the state unusable: the handshake must be abandoned.
/// Secrets (both private keys, the chaining key, the cipher key) live in unmanaged memory and are wiped on dispose.
/// </summary>
internal sealed unsafe class NoiseXXHandshakeState : IDisposable
{
    public const string ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
    public const int DhSize = X25519.KeySize;
    public const int MessageCount = 3;

    private const int EncryptedKeySize = DhSize + CipherState.TagSize;

    private readonly SymmetricState _symmetric;
    private readonly SecretKeyMemory _privateKeys = new(2 * DhSize);
    private readonly byte[] _staticPublicKey = new byte[DhSize];
    private readonly byte[] _ephemeralPublicKey = new byte[DhSize];
    private readonly byte[] _remoteStaticKey = new byte[DhSize];
    private readonly byte[] _remoteEphemeralKey = new byte[DhSize];
    private readonly bool _fixedEphemeral;
    private int _messageIndex;
    private bool _failed;

    /// <param name="isInitiator">True on the side that sends the first message (the dialler).</param>
    /// <param name="prologue">Data both sides must agree on, mixed into h (libp2p: empty).</param>
    /// <param name="staticPrivateKey">This side's Noise static X25519 key (copied).</param>
    /// <param name="ephemeralPrivateKey">
    /// Empty for a fresh ephemeral key from the CSPRNG — always, outside known-answer tests, which fix it to reproduce
    /// published transcripts.
    /// </param>
    public NoiseXXHandshakeState(bool isInitiator, ReadOnlySpan<byte> prologue, ReadOnlySpan<byte> staticPrivateKey,
        ReadOnlySpan<byte> ephemeralPrivateKey = default)
    {
        if (staticPrivateKey.Length != DhSize)
            throw new ArgumentException($"a static X25519 key is {DhSize} bytes, not {staticPrivateKey.Length}", nameof(staticPrivateKey));
        if (!ephemeralPrivateKey.IsEmpty && ephemeralPrivateKey.Length != DhSize)
            throw new ArgumentException($"an ephemeral X25519 key is {DhSize} bytes, not {ephemeralPrivateKey.Length}", nameof(ephemeralPrivateKey));
        IsInitiator = isInitiator;
        staticPrivateKey.CopyTo(StaticPrivateKey);
        X25519.DerivePublicKey(StaticPrivateKey, _staticPublicKey);
        if (!ephemeralPrivateKey.IsEmpty)
        {
            ephemeralPrivateKey.CopyTo(EphemeralPrivateKey);
            _fixedEphemeral = true;
        }
        _symmetric = new SymmetricState(ProtocolName);
        _symmetric.MixHash(prologue);
    }

    public bool IsInitiator { get; }

    /// <summary>The index of the next message (0, 1, 2); 3 once the handshake is done.</summary>
    public int MessageIndex => _messageIndex;

    public bool IsComplete => _messageIndex == MessageCount;

    /// <summary>True when the next message is this side's to write.</summary>
    public bool IsMyTurn => !IsComplete && (_messageIndex % 2 == 0) == IsInitiator;

    public ReadOnlySpan<byte> StaticPublicKey => _staticPublicKey;

    /// <summary>The peer's static key: known (authenticated by the DH that follows it) once it has been read.</summary>
    public ReadOnlySpan<byte> RemoteStaticKey => _remoteStaticKey;

    /// <summary>The handshake hash h: after the last message, the transcript digest both sides hold.</summary>
    public ReadOnlySpan<byte> HandshakeHash => _symmetric.Hash;

    private Span<byte> StaticPrivateKey => new(_privateKeys.Pointer, DhSize);

    private Span<byte> EphemeralPrivateKey => new(_privateKeys.Pointer + DhSize, DhSize);

    /// <summary>The size of message <paramref name="index"/> carrying <paramref name="payloadLength"/> payload bytes.</summary>
    public static int GetMessageSize(int index, int payloadLength) => index switch
    {
        0 => DhSize + payloadLength,
        1 => DhSize + EncryptedKeySize + payloadLength + CipherState.TagSize,
        2 => EncryptedKeySize + payloadLength + CipherState.TagSize,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "XX has three messages"),
    };

    /// <summary>The payload size of message <paramref name="index"/> when it is <paramref name="messageLength"/> bytes (negative: too short).</summary>
    public static int GetPayloadSize(int index, int messageLength) => messageLength - GetMessageSize(index, 0);

    /// <summary>
    /// WriteMessage: the next message, carrying <paramref name="payload"/>, into <paramref name="message"/> (at least
    /// <see cref="GetMessageSize"/> bytes). Fails only if a DH with the peer's key is refused (low-order key).
    /// </summary>
    public NoiseError WriteMessage(ReadOnlySpan<byte> payload, Span<byte> message, out int written)
    {
        ThrowIfNotMyTurn(writing: true);
        written = 0;
        var size = GetMessageSize(_messageIndex, payload.Length);
        if (message.Length < size)
            throw new ArgumentException($"message {_messageIndex} needs {size} bytes; the buffer has {message.Length}", nameof(message));
        var position = 0;
        var error = NoiseError.None;
        switch (_messageIndex)
        {
            case 0:
                position += WriteEphemeral(message);
                break;
            case 1:
                position += WriteEphemeral(message);
                error = MixDh(EphemeralPrivateKey, _remoteEphemeralKey); // ee
                if (error == NoiseError.None)
                    position += EncryptStatic(message[position..]); // s
                if (error == NoiseError.None)
                    error = MixDh(StaticPrivateKey, _remoteEphemeralKey); // es (responder: DH(s, re))
                break;
            case 2:
                position += EncryptStatic(message); // s
                error = MixDh(StaticPrivateKey, _remoteEphemeralKey); // se (initiator: DH(s, re))
                break;
        }
        if (error == NoiseError.None)
        {
            error = _symmetric.EncryptAndHash(payload, message[position..], out var payloadWritten);
            position += payloadWritten;
        }
        return Finish(error, position, out written);
    }

    /// <summary>
    /// ReadMessage: processes the peer's next message and writes its decrypted payload into <paramref name="payload"/>
    /// (at least <see cref="GetPayloadSize"/> bytes, not overlapping the message).
    /// </summary>
    public NoiseError ReadMessage(ReadOnlySpan<byte> message, Span<byte> payload, out int payloadLength)
    {
        ThrowIfNotMyTurn(writing: false);
        payloadLength = 0;
        var expectedPayload = GetPayloadSize(_messageIndex, message.Length);
        if (expectedPayload < 0)
            return Finish(NoiseError.MessageTooShort, 0, out payloadLength);
        if (payload.Length < expectedPayload)
            throw new ArgumentException($"the payload of a {message.Length}-byte message needs {expectedPayload} bytes; the buffer has {payload.Length}", nameof(payload));
        var position = 0;
        var error = NoiseError.None;
        switch (_messageIndex)
        {
            case 0:
                position += ReadEphemeral(message);
                break;
            case 1:
                position += ReadEphemeral(message);
                error = MixDh(EphemeralPrivateKey, _remoteEphemeralKey); // ee
                if (error == NoiseError.None)
                    error = DecryptStatic(message.Slice(position, EncryptedKeySize)); // s
                position += EncryptedKeySize;
                if (error == NoiseError.None)
                    error = MixDh(EphemeralPrivateKey, _remoteStaticKey); // es (initiator: DH(e, rs))
                break;
            case 2:
                error = DecryptStatic(message[..EncryptedKeySize]); // s
                position += EncryptedKeySize;
                if (error == NoiseError.None)
                    error = MixDh(EphemeralPrivateKey, _remoteStaticKey); // se (responder: DH(e, rs))
                break;
        }
        var length = 0;
        if (error == NoiseError.None)
            error = _symmetric.DecryptAndHash(message[position..], payload, out length);
        return Finish(error, length, out payloadLength);
    }

    /// <summary>
    /// The transport ciphers once the handshake is complete: (send, receive) for this side. The caller owns both.
    /// </summary>
    public (CipherState Send, CipherState Receive) Split()
    {
        if (!IsComplete)
            throw new InvalidOperationException($"the handshake is at message {_messageIndex} of {MessageCount}: nothing to split yet");
        var (initiatorToResponder, responderToInitiator) = _symmetric.Split();
        return IsInitiator ? (initiatorToResponder, responderToInitiator) : (responderToInitiator, initiatorToResponder);
    }

    public void Dispose()
    {
        _symmetric.Dispose();
        _privateKeys.Dispose();
    }

    private int WriteEphemeral(Span<byte> message)
    {
        if (_fixedEphemeral)
            X25519.DerivePublicKey(EphemeralPrivateKey, _ephemeralPublicKey);
        else
            X25519.GenerateKeyPair(EphemeralPrivateKey, _ephemeralPublicKey);
        _ephemeralPublicKey.CopyTo(message);
        _symmetric.MixHash(_ephemeralPublicKey);
        return DhSize;
    }

    private int ReadEphemeral(ReadOnlySpan<byte> message)
    {
        message[..DhSize].CopyTo(_remoteEphemeralKey);
        _symmetric.MixHash(_remoteEphemeralKey);
        return DhSize;
    }

    private int EncryptStatic(Span<byte> destination)
    {
        // With a key set (always, after ee) encryption cannot fail: the handshake uses nonces 0 and 1 only.
        _symmetric.EncryptAndHash(_staticPublicKey, destination, out var written);
        return written;
    }

    private NoiseError DecryptStatic(ReadOnlySpan<byte> encryptedKey) =>
        _symmetric.DecryptAndHash(encryptedKey, _remoteStaticKey, out _);

    private NoiseError MixDh(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        Span<byte> shared = stackalloc byte[DhSize];
        try
        {
            if (!X25519.TryAgree(privateKey, publicKey, shared))
                return NoiseError.InvalidKeyAgreement;
            _symmetric.MixKey(shared);
            return NoiseError.None;
        }
        finally
        {
            Sodium.Wipe(shared);
        }
    }

    private NoiseError Finish(NoiseError error, int length, out int written)
    {
        if (error != NoiseError.None)
        {
            _failed = true;
            written = 0;
            return error;
        }
        _messageIndex++;
        written = length;
        return NoiseError.None;
    }

    private void ThrowIfNotMyTurn(bool writing)
    {
        if (_failed)
            throw new InvalidOperationException("the handshake already failed");
        if (IsComplete)
            throw new InvalidOperationException("the handshake is complete: use the transport ciphers");
        if (IsMyTurn != writing)
            throw new InvalidOperationException($"message {_messageIndex} is {(writing ? "the peer's to write" : "this side's to write")}");
    }
}
