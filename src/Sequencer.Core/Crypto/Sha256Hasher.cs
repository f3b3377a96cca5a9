using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto;

/// <summary>
/// An incremental SHA-256 held by value (no allocation). Copying a hasher forks it: both copies continue from the
/// same bytes, which is what lets <see cref="TaggedHash"/> absorb its tag once and reuse that midstate.
/// Obtain one from <see cref="Sha256.Start"/> or <see cref="TaggedHash.Start"/>.
/// </summary>
public unsafe struct Sha256Hasher
{
    private Sha256State _state;

    internal void Reset()
    {
        fixed (Sha256State* state = &_state)
            SodiumNative.crypto_hash_sha256_init(state);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        // Absorbing nothing is a no-op; skipping it also keeps a NULL pointer (an empty span's) away from libsodium.
        if (data.IsEmpty)
            return;
        fixed (Sha256State* state = &_state)
        fixed (byte* input = data)
            SodiumNative.crypto_hash_sha256_update(state, input, (ulong)data.Length);
    }

    /// <summary>Writes the digest into the first 32 bytes of <paramref name="destination"/>; the hasher is spent.</summary>
    public void Finish(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Sha256.HashSize, nameof(destination));
        fixed (Sha256State* state = &_state)
        fixed (byte* output = destination)
            SodiumNative.crypto_hash_sha256_final(state, output);
    }
}
