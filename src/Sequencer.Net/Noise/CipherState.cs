using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Curve25519;

namespace Sequencer.Net.Noise;

/// <summary>
/// The Noise CipherState (Noise spec §5.1): a ChaCha20-Poly1305 key and a 64-bit nonce counter. Without a key
/// (early in a handshake) "encryption" is the identity. The key lives in unmanaged memory, wiped and freed on dispose;
/// a disposed cipher refuses every further use (<see cref="NoiseError.CipherDisposed"/>) rather than fall back to the
/// keyless identity, which would send plaintext.
/// <para>
/// Nonces: each message uses the counter and then increments it. The value 2^64 − 1 is reserved by the spec, so once
/// the counter reaches it every further call fails with <see cref="NoiseError.NonceExhausted"/>: the session must end,
/// because reusing a nonce under one key would expose the plaintexts and the authentication key.
/// A CipherState belongs to one thread at a time (a handshake, or one direction of a secure channel).
/// </para>
/// </summary>
internal sealed unsafe class CipherState : IDisposable
{
    public const int TagSize = ChaChaPoly.TagSize;

    /// <summary>The reserved nonce: reaching it ends the cipher.</summary>
    public const ulong ExhaustedNonce = ulong.MaxValue;

    private readonly SecretKeyMemory _key = new(ChaChaPoly.KeySize);
    private bool _hasKey;
    private bool _disposed;
    private ulong _nonce;

    public bool HasKey => _hasKey;

    /// <summary>The key memory was wiped and released: the cipher is unusable.</summary>
    public bool IsDisposed => _disposed && _key.IsClosed;

    /// <summary>The nonce the next message will use.</summary>
    public ulong Nonce => _nonce;

    private ReadOnlySpan<byte> Key => new(_key.Pointer, ChaChaPoly.KeySize);

    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (key.Length != ChaChaPoly.KeySize)
            throw new ArgumentException($"a Noise cipher key is {ChaChaPoly.KeySize} bytes, not {key.Length}", nameof(key));
        key.CopyTo(new Span<byte>(_key.Pointer, ChaChaPoly.KeySize));
        _hasKey = true;
        _nonce = 0;
    }

    /// <summary>Noise's SetNonce: moves the counter (the spec's hook for out-of-order transports; tests use it).</summary>
    public void SetNonce(ulong nonce)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _nonce = nonce;
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (length + 16 when keyed; a copy
    /// otherwise). The two may be the same memory. Fails with <see cref="NoiseError.NonceExhausted"/> or, once disposed,
    /// <see cref="NoiseError.CipherDisposed"/>.
    /// </summary>
    public NoiseError EncryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, out int written)
    {
        if (_disposed)
        {
            written = 0;
            return NoiseError.CipherDisposed;
        }
        if (!_hasKey)
        {
            plaintext.CopyTo(ciphertext);
            written = plaintext.Length;
            return NoiseError.None;
        }
        written = 0;
        if (_nonce == ExhaustedNonce)
            return NoiseError.NonceExhausted;
        ChaChaPoly.Encrypt(Key, _nonce, associatedData, plaintext, ciphertext);
        _nonce++;
        written = plaintext.Length + TagSize;
        return NoiseError.None;
    }

    /// <summary>
    /// Checks and decrypts <paramref name="ciphertext"/> into <paramref name="plaintext"/> (length − 16 when keyed; a
    /// copy otherwise); the two may be the same memory. On failure the nonce does not advance (spec §5.1).
    /// </summary>
    public NoiseError DecryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int written)
    {
        written = 0;
        if (_disposed)
            return NoiseError.CipherDisposed;
        if (!_hasKey)
        {
            ciphertext.CopyTo(plaintext);
            written = ciphertext.Length;
            return NoiseError.None;
        }
        if (_nonce == ExhaustedNonce)
            return NoiseError.NonceExhausted;
        if (ciphertext.Length < TagSize)
            return NoiseError.MessageTooShort;
        if (!ChaChaPoly.TryDecrypt(Key, _nonce, associatedData, ciphertext, plaintext))
            return NoiseError.DecryptionFailed;
        _nonce++;
        written = ciphertext.Length - TagSize;
        return NoiseError.None;
    }

    /// <summary>Wipes and frees the key. Only by the thread that owns the cipher, once it is done with it.</summary>
    public void Dispose()
    {
        _disposed = true;
        _hasKey = false;
        _key.Dispose();
    }
}
