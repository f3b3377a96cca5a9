using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto;

/// <summary>HMAC-SHA256 (RFC 2104) from libsodium, for keys of any length; the building block of HKDF and RFC 6979.</summary>
public static unsafe class HmacSha256
{
    public const int MacSize = 32;

    /// <summary>HMAC-SHA256(key, data) into the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) =>
        Compute(key, data, [], destination);

    /// <summary>HMAC-SHA256(key, first ‖ second): the concatenation without copying it anywhere.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MacSize, nameof(destination));
        Sodium.EnsureInitialized();
        HmacSha256State state;
        // An empty span pins to NULL, and libsodium is never handed a NULL pointer: the empty key becomes a real
        // (unread) byte, and an empty part is simply not absorbed (absorbing zero bytes is a no-op).
        byte emptyKey = 0;
        fixed (byte* pinnedKey = key)
        fixed (byte* a = first)
        fixed (byte* b = second)
        fixed (byte* output = destination)
        {
            var k = key.IsEmpty ? &emptyKey : pinnedKey;
            SodiumNative.crypto_auth_hmacsha256_init(&state, k, (nuint)key.Length);
            if (!first.IsEmpty)
                SodiumNative.crypto_auth_hmacsha256_update(&state, a, (ulong)first.Length);
            if (!second.IsEmpty)
                SodiumNative.crypto_auth_hmacsha256_update(&state, b, (ulong)second.Length);
            SodiumNative.crypto_auth_hmacsha256_final(&state, output);
        }
        Sodium.Wipe(new Span<byte>(&state, sizeof(HmacSha256State)));
    }
}
