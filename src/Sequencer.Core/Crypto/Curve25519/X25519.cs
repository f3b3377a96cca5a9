using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto.Curve25519;

/// <summary>
/// X25519 Diffie-Hellman (RFC 7748) for Noise's ephemeral and static keys. Keys are raw 32-byte strings the caller
/// owns (and wipes: a Noise handshake state holds them in its own buffers).
/// </summary>
public static unsafe class X25519
{
    public const int KeySize = 32;

    /// <summary>A fresh private key from the CSPRNG and its public key.</summary>
    public static void GenerateKeyPair(Span<byte> privateKey, Span<byte> publicKey)
    {
        RequireKeySize(privateKey.Length, nameof(privateKey));
        Sodium.FillRandom(privateKey);
        DerivePublicKey(privateKey, publicKey);
    }

    public static void DerivePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        RequireKeySize(privateKey.Length, nameof(privateKey));
        RequireKeySize(publicKey.Length, nameof(publicKey));
        Sodium.EnsureInitialized();
        fixed (byte* n = privateKey)
        fixed (byte* q = publicKey)
            SodiumNative.crypto_scalarmult_curve25519_base(q, n);
    }

    /// <summary>
    /// The shared secret X25519(privateKey, peerPublicKey). False, with <paramref name="sharedSecret"/> zeroed, when the
    /// peer's key is not 32 bytes or is a low-order point (the result would be all zeros, RFC 7748 §6.1): a peer
    /// sending one is trying to force a known key and the handshake must stop.
    /// </summary>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        RequireKeySize(privateKey.Length, nameof(privateKey));
        RequireKeySize(sharedSecret.Length, nameof(sharedSecret));
        if (peerPublicKey.Length != KeySize)
        {
            sharedSecret.Clear();
            return false;
        }
        Sodium.EnsureInitialized();
        fixed (byte* n = privateKey)
        fixed (byte* p = peerPublicKey)
        fixed (byte* q = sharedSecret)
            return SodiumNative.crypto_scalarmult_curve25519(q, n, p) == 0;
    }

    private static void RequireKeySize(int length, string name)
    {
        if (length != KeySize)
            throw new ArgumentException($"an X25519 key is {KeySize} bytes; the span has {length}", name);
    }
}
