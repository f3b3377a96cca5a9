using System.Buffers.Binary;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto;

/// <summary>
/// IETF ChaCha20-Poly1305 (RFC 8439) from libsodium, the cipher of <c>Noise_XX_25519_ChaChaPoly_SHA256</c>.
/// The output is ciphertext ‖ 16-byte tag. Plaintext and ciphertext may be the same memory (Noise encrypts and
/// decrypts frames in place) or disjoint, never partially overlapping: the stream cipher reads each byte just before
/// writing the one at the same offset, so a shifted overlap would read bytes it has already overwritten.
/// No call allocates.
/// </summary>
public static unsafe class ChaChaPoly
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>Encrypts with Noise's nonce for counter <paramref name="nonce"/>: 4 zero bytes ‖ the counter, little-endian.</summary>
    public static void Encrypt(ReadOnlySpan<byte> key, ulong nonce, ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> plaintext, Span<byte> ciphertextAndTag)
    {
        Span<byte> nonceBytes = stackalloc byte[NonceSize];
        WriteNoiseNonce(nonce, nonceBytes);
        Encrypt(key, nonceBytes, associatedData, plaintext, ciphertextAndTag);
    }

    /// <summary>Encrypts with an explicit 12-byte nonce into the first plaintext length + 16 bytes of <paramref name="ciphertextAndTag"/>.</summary>
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> plaintext, Span<byte> ciphertextAndTag)
    {
        RequireKeyAndNonce(key, nonce);
        if (ciphertextAndTag.Length - TagSize < plaintext.Length)
            throw new ArgumentException(
                $"ciphertext buffer of {ciphertextAndTag.Length} bytes is too small for {plaintext.Length} bytes plus the tag",
                nameof(ciphertextAndTag));
        RequireSameOrDisjoint(plaintext, ciphertextAndTag);
        Sodium.EnsureInitialized();
        byte empty = 0;
        fixed (byte* k = key)
        fixed (byte* n = nonce)
        fixed (byte* pinnedAd = associatedData)
        fixed (byte* pinnedPlaintext = plaintext)
        fixed (byte* c = ciphertextAndTag)
        {
            var ad = pinnedAd == null ? &empty : pinnedAd;
            var m = pinnedPlaintext == null ? &empty : pinnedPlaintext;
            SodiumNative.crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                c, c + plaintext.Length, null, m, (ulong)plaintext.Length, ad, (ulong)associatedData.Length, null, n, k);
        }
    }

    /// <summary>Decrypts with Noise's nonce for counter <paramref name="nonce"/>; see the 12-byte-nonce overload.</summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> key, ulong nonce, ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> ciphertextAndTag, Span<byte> plaintext)
    {
        Span<byte> nonceBytes = stackalloc byte[NonceSize];
        WriteNoiseNonce(nonce, nonceBytes);
        return TryDecrypt(key, nonceBytes, associatedData, ciphertextAndTag, plaintext);
    }

    /// <summary>
    /// Checks the tag, then decrypts <paramref name="ciphertextAndTag"/> (all of it is the message) into the first
    /// length − 16 bytes of <paramref name="plaintext"/>. False for input shorter than a tag or a tag that does not
    /// match; the plaintext bytes are then zeroed (for an in-place call, the ciphertext is gone).
    /// </summary>
    public static bool TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData,
        ReadOnlySpan<byte> ciphertextAndTag, Span<byte> plaintext)
    {
        RequireKeyAndNonce(key, nonce);
        var messageLength = ciphertextAndTag.Length - TagSize;
        if (messageLength < 0)
            return false;
        if (plaintext.Length < messageLength)
            throw new ArgumentException(
                $"plaintext buffer of {plaintext.Length} bytes is too small for {messageLength} bytes", nameof(plaintext));
        RequireSameOrDisjoint(plaintext, ciphertextAndTag);
        Sodium.EnsureInitialized();
        byte emptyInput = 0;
        byte emptyOutput = 0;
        fixed (byte* k = key)
        fixed (byte* n = nonce)
        fixed (byte* pinnedAd = associatedData)
        fixed (byte* c = ciphertextAndTag)
        fixed (byte* pinnedPlaintext = plaintext)
        {
            var ad = pinnedAd == null ? &emptyInput : pinnedAd;
            // libsodium treats a NULL output as "verify only"; give it a real byte so an empty message decrypts normally.
            var m = pinnedPlaintext == null ? &emptyOutput : pinnedPlaintext;
            return SodiumNative.crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                m, null, c, (ulong)messageLength, c + messageLength, ad, (ulong)associatedData.Length, n, k) == 0;
        }
    }

    internal static void WriteNoiseNonce(ulong counter, Span<byte> nonce)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], counter);
    }

    private static void RequireKeyAndNonce(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        if (key.Length != KeySize)
            throw new ArgumentException($"a ChaCha20-Poly1305 key is {KeySize} bytes, not {key.Length}", nameof(key));
        if (nonce.Length != NonceSize)
            throw new ArgumentException($"a ChaCha20-Poly1305 nonce is {NonceSize} bytes, not {nonce.Length}", nameof(nonce));
    }

    private static void RequireSameOrDisjoint(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> ciphertext)
    {
        if (plaintext.Overlaps(ciphertext, out var offset) && offset != 0)
            throw new ArgumentException(
                $"plaintext and ciphertext overlap at an offset of {offset} bytes; they must be the same memory or disjoint");
    }
}
