namespace Sequencer.Net.Noise;

/// <summary>Why a Noise handshake failed or a secure channel ended.</summary>
public enum NoiseError
{
    None,

    /// <summary>The handshake did not finish within <see cref="NoiseOptions.HandshakeTimeout"/>.</summary>
    Timeout,

    /// <summary>The peer closed the connection during the handshake, or in the middle of a transport frame.</summary>
    ConnectionClosed,

    /// <summary>A handshake message shorter than its keys and tags, or a transport frame shorter than the 16-byte tag.</summary>
    MessageTooShort,

    /// <summary>A handshake message longer than the protocol allows (libp2p's first message is exactly the 32-byte key).</summary>
    MessageTooLong,

    /// <summary>A ChaCha20-Poly1305 tag did not verify: the bytes were altered, or the peer does not hold the keys.</summary>
    DecryptionFailed,

    /// <summary>The peer's X25519 key is a low-order point, which would make the shared secret all zeros.</summary>
    InvalidKeyAgreement,

    /// <summary>The decrypted handshake payload is not a well-formed <c>NoiseHandshakePayload</c> or lacks a required field.</summary>
    MalformedPayload,

    /// <summary>The payload's <c>identity_key</c> is not a valid key of a supported type (Ed25519, secp256k1).</summary>
    InvalidIdentityKey,

    /// <summary>The payload's <c>identity_sig</c> does not sign the peer's Noise static key with its identity key.</summary>
    InvalidSignature,

    /// <summary>The peer proved an identity other than the one that was dialled.</summary>
    PeerIdMismatch,

    /// <summary>A cipher used its last nonce (2^64 − 2); the session must end rather than reuse one.</summary>
    NonceExhausted,

    /// <summary>The cipher was disposed (its key wiped) because its direction of the channel ended: it encrypts and decrypts nothing more.</summary>
    CipherDisposed,
}
