using System.Text;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Curve25519;

namespace Sequencer.Net.Noise;

/// <summary>
/// The Noise SymmetricState (Noise spec §5.2) for SHA-256: the chaining key <c>ck</c> (secret, in unmanaged memory,
/// wiped on dispose), the handshake hash <c>h</c> (public: it is the transcript's digest) and the CipherState that
/// MixKey keys. Used by one handshake, on one thread.
/// </summary>
internal sealed unsafe class SymmetricState : IDisposable
{
    public const int HashSize = Sha256.HashSize;

    private readonly SecretKeyMemory _chainingKey = new(HashSize);
    private readonly byte[] _hash = new byte[HashSize];

    /// <summary>InitializeSymmetric(protocolName): h = the name zero-padded to 32 bytes (or its hash if longer); ck = h.</summary>
    public SymmetricState(string protocolName)
    {
        var name = Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= HashSize)
            name.CopyTo(_hash, 0);
        else
            Sha256.Hash(name, _hash);
        _hash.CopyTo(ChainingKey);
    }

    public CipherState Cipher { get; } = new();

    /// <summary>The handshake hash so far (after the handshake: the channel binding both sides share).</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    private Span<byte> ChainingKey => new(_chainingKey.Pointer, HashSize);

    /// <summary>ck, temp_k = HKDF(ck, ikm, 2); the cipher is keyed with temp_k (nonce 0).</summary>
    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> tempKey = stackalloc byte[HashSize];
        Hkdf.DeriveNoiseKeys(ChainingKey, inputKeyMaterial, ChainingKey, tempKey);
        Cipher.InitializeKey(tempKey);
        Sodium.Wipe(tempKey);
    }

    /// <summary>h = SHA-256(h ‖ data).</summary>
    public void MixHash(ReadOnlySpan<byte> data)
    {
        var hasher = Sha256.Start();
        hasher.Append(_hash);
        hasher.Append(data);
        hasher.Finish(_hash);
    }

    /// <summary>Encrypts with h as associated data, then mixes the ciphertext into h. The buffers may be the same memory.</summary>
    public NoiseError EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, out int written)
    {
        var error = Cipher.EncryptWithAd(_hash, plaintext, ciphertext, out written);
        if (error == NoiseError.None)
            MixHash(ciphertext[..written]);
        return error;
    }

    /// <summary>
    /// Decrypts with h as associated data, then mixes the ciphertext into h. The buffers must not overlap: the
    /// ciphertext is hashed after decryption.
    /// </summary>
    public NoiseError DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int written)
    {
        if (ciphertext.Overlaps(plaintext))
            throw new ArgumentException("DecryptAndHash needs the ciphertext intact after decrypting: use disjoint buffers");
        var error = Cipher.DecryptWithAd(_hash, ciphertext, plaintext, out written);
        if (error == NoiseError.None)
            MixHash(ciphertext);
        return error;
    }

    /// <summary>
    /// Split(): the two transport ciphers from HKDF(ck, empty, 2): the first encrypts what the initiator sends, the
    /// second what the responder sends. The caller owns (and disposes) both.
    /// </summary>
    public (CipherState InitiatorToResponder, CipherState ResponderToInitiator) Split()
    {
        Span<byte> keys = stackalloc byte[2 * HashSize];
        Hkdf.DeriveNoiseKeys(ChainingKey, [], keys[..HashSize], keys[HashSize..]);
        var first = new CipherState();
        var second = new CipherState();
        first.InitializeKey(keys[..HashSize]);
        second.InitializeKey(keys[HashSize..]);
        Sodium.Wipe(keys);
        return (first, second);
    }

    public void Dispose()
    {
        Cipher.Dispose();
        _chainingKey.Dispose();
    }
}
