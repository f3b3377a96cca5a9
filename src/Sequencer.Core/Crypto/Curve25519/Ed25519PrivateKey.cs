using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto.Curve25519;

/// <summary>
/// An Ed25519 private key (RFC 8032). The secret lives in unmanaged memory in libsodium's 64-byte layout
/// (seed ‖ public key), is wiped when the key is disposed or finalised, and never enters the managed heap;
/// <see cref="CopySeedTo"/> is the one way out, for serialisation. Signing is thread-safe.
/// </summary>
public sealed unsafe class Ed25519PrivateKey : IDisposable
{
    public const int SeedSize = 32;
    public const int SignatureSize = Ed25519PublicKey.SignatureSize;
    private const int SecretKeySize = 64;

    private readonly SecretKeyMemory _secretKey;

    private Ed25519PrivateKey(SecretKeyMemory secretKey, Ed25519PublicKey publicKey)
    {
        _secretKey = secretKey;
        PublicKey = publicKey;
    }

    public Ed25519PublicKey PublicKey { get; }

    /// <summary>A new key from the operating system's CSPRNG.</summary>
    public static Ed25519PrivateKey Generate()
    {
        Span<byte> seed = stackalloc byte[SeedSize];
        try
        {
            Sodium.FillRandom(seed);
            return FromSeed(seed);
        }
        finally
        {
            Sodium.Wipe(seed);
        }
    }

    /// <summary>The key whose RFC 8032 secret is <paramref name="seed"/> (32 bytes; any value is a valid seed).</summary>
    /// <exception cref="InvalidKeyException">The seed is not 32 bytes long.</exception>
    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
            throw new InvalidKeyException($"an Ed25519 seed is {SeedSize} bytes, not {seed.Length}");
        Sodium.EnsureInitialized();
        var secretKey = new SecretKeyMemory(SecretKeySize);
        Span<byte> publicKey = stackalloc byte[Ed25519PublicKey.Size];
        fixed (byte* s = seed)
        fixed (byte* pk = publicKey)
            SodiumNative.crypto_sign_ed25519_seed_keypair(pk, secretKey.Pointer, s);
        return new Ed25519PrivateKey(secretKey, Ed25519PublicKey.Parse(publicKey));
    }

    /// <summary>Writes the 32-byte seed (the secret) into <paramref name="destination"/>; the caller wipes it.</summary>
    public void CopySeedTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, SeedSize, nameof(destination));
        var added = false;
        _secretKey.DangerousAddRef(ref added);
        try
        {
            new ReadOnlySpan<byte>(_secretKey.Pointer, SeedSize).CopyTo(destination);
        }
        finally
        {
            _secretKey.DangerousRelease();
        }
    }

    /// <summary>Writes the 64-byte deterministic signature of <paramref name="message"/> into <paramref name="signature"/>.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signature.Length, SignatureSize, nameof(signature));
        var added = false;
        _secretKey.DangerousAddRef(ref added);
        try
        {
            byte empty = 0;
            fixed (byte* pinnedMessage = message)
            fixed (byte* sig = signature)
            {
                var m = pinnedMessage == null ? &empty : pinnedMessage;
                SodiumNative.crypto_sign_ed25519_detached(sig, null, m, (ulong)message.Length, _secretKey.Pointer);
            }
        }
        finally
        {
            _secretKey.DangerousRelease();
        }
    }

    public void Dispose() => _secretKey.Dispose();
}
