using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto.Curve25519;

/// <summary>
/// An Ed25519 public key (RFC 8032), the 32-byte compressed point. Parsing checks only the length, as go-libp2p and
/// js-libp2p do: libsodium's verification rejects a non-canonical encoding, a string that is not a point and a
/// small-order point, so such a key can never verify a signature and cannot be used to impersonate anyone.
/// Immutable and safe to share between threads.
/// </summary>
public sealed unsafe class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    public const int Size = 32;
    public const int SignatureSize = 64;

    private readonly byte[] _bytes;

    private Ed25519PublicKey(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Bytes => _bytes;

    public static bool TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out Ed25519PublicKey? key)
    {
        key = bytes.Length == Size ? new Ed25519PublicKey(bytes.ToArray()) : null;
        return key is not null;
    }

    /// <exception cref="InvalidKeyException">The input is not 32 bytes long.</exception>
    public static Ed25519PublicKey Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out var key)
            ? key
            : throw new InvalidKeyException($"an Ed25519 public key is {Size} bytes, not {bytes.Length}");

    /// <summary>True when <paramref name="signature"/> is a valid 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
            return false;
        Sodium.EnsureInitialized();
        byte empty = 0;
        fixed (byte* publicKey = _bytes)
        fixed (byte* pinnedMessage = message)
        fixed (byte* sig = signature)
        {
            var m = pinnedMessage == null ? &empty : pinnedMessage;
            return SodiumNative.crypto_sign_ed25519_verify_detached(sig, m, (ulong)message.Length, publicKey) == 0;
        }
    }

    public bool Equals(Ed25519PublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
