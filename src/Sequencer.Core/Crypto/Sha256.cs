using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto;

/// <summary>SHA-256 from libsodium: one-shot, or incremental through <see cref="Sha256Hasher"/>.</summary>
public static unsafe class Sha256
{
    public const int HashSize = 32;

    /// <summary>Writes SHA-256(<paramref name="data"/>) into the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HashSize, nameof(destination));
        Sodium.EnsureInitialized();
        // An empty span pins to NULL: give libsodium a real (unread) byte instead.
        byte empty = 0;
        fixed (byte* pinned = data)
        fixed (byte* output = destination)
            SodiumNative.crypto_hash_sha256(output, data.IsEmpty ? &empty : pinned, (ulong)data.Length);
    }

    /// <summary>Starts an incremental hash.</summary>
    public static Sha256Hasher Start()
    {
        Sodium.EnsureInitialized();
        var hasher = default(Sha256Hasher);
        hasher.Reset();
        return hasher;
    }
}
