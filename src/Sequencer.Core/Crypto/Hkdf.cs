using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto;

/// <summary>
/// HKDF over HMAC-SHA256 (RFC 5869), and the form Noise uses (Noise spec §4.3: Extract with the chaining key as
/// salt, then two or three 32-byte blocks of Expand with empty info). Intermediate keys and HMAC states live on the
/// stack and are wiped before returning; nothing allocates.
/// </summary>
public static unsafe class Hkdf
{
    public const int HashSize = HmacSha256.MacSize;
    public const int MaxOutputSize = 255 * HashSize;

    /// <summary>PRK = HMAC-SHA256(salt, inputKeyMaterial) into the first 32 bytes of <paramref name="pseudoRandomKey"/>.</summary>
    /// <remarks>An empty salt is RFC 5869's "not provided": HMAC pads the key with zeros, so it equals 32 zero bytes.</remarks>
    public static void Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> pseudoRandomKey)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pseudoRandomKey.Length, HashSize, nameof(pseudoRandomKey));
        var state = Key(salt);
        Update(ref state, inputKeyMaterial);
        Finish(ref state, pseudoRandomKey);
    }

    /// <summary>
    /// Fills all of <paramref name="output"/> (at most 8160 bytes) with T(1) ‖ T(2) ‖ …, where
    /// T(i) = HMAC(PRK, T(i−1) ‖ info ‖ i). The output may overlap the key but not <paramref name="info"/>.
    /// </summary>
    public static void Expand(ReadOnlySpan<byte> pseudoRandomKey, ReadOnlySpan<byte> info, Span<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(output.Length, MaxOutputSize, nameof(output));
        // The key is absorbed into this state before anything is written, which is what makes overlapping it safe.
        var keyed = Key(pseudoRandomKey);
        Span<byte> block = stackalloc byte[HashSize];
        byte counter = 0;
        var previousLength = 0;
        for (var offset = 0; offset < output.Length; offset += HashSize)
        {
            var state = keyed;
            Update(ref state, block[..previousLength]);
            Update(ref state, info);
            counter++;
            Update(ref state, new ReadOnlySpan<byte>(&counter, 1));
            Finish(ref state, block);
            var take = Math.Min(HashSize, output.Length - offset);
            block[..take].CopyTo(output[offset..]);
            previousLength = HashSize;
        }
        Wipe(ref keyed);
        Sodium.Wipe(block);
    }

    /// <summary>
    /// Noise's HKDF(chaining_key, input_key_material, 2 or 3): each output is a 32-byte span; pass
    /// <paramref name="output3"/> empty (the default) for two outputs. Every output may be the same memory as the
    /// chaining key (Noise's MixKey writes the new chaining key over the old one).
    /// </summary>
    public static void DeriveNoiseKeys(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial,
        Span<byte> output1, Span<byte> output2, Span<byte> output3 = default)
    {
        if (chainingKey.Length != HashSize)
            throw new ArgumentException($"a Noise chaining key is {HashSize} bytes, not {chainingKey.Length}", nameof(chainingKey));
        RequireHashSize(output1.Length, nameof(output1));
        RequireHashSize(output2.Length, nameof(output2));
        if (!output3.IsEmpty)
            RequireHashSize(output3.Length, nameof(output3));

        Span<byte> outputs = stackalloc byte[3 * HashSize];
        Span<byte> tempKey = stackalloc byte[HashSize];
        Extract(chainingKey, inputKeyMaterial, tempKey);
        Expand(tempKey, [], outputs[..((output3.IsEmpty ? 2 : 3) * HashSize)]);
        outputs[..HashSize].CopyTo(output1);
        outputs.Slice(HashSize, HashSize).CopyTo(output2);
        if (!output3.IsEmpty)
            outputs.Slice(2 * HashSize, HashSize).CopyTo(output3);
        Sodium.Wipe(outputs);
        Sodium.Wipe(tempKey);
    }

    private static void RequireHashSize(int length, string name)
    {
        if (length != HashSize)
            throw new ArgumentException($"each Noise HKDF output is {HashSize} bytes, not {length}", name);
    }

    private static HmacSha256State Key(ReadOnlySpan<byte> key)
    {
        Sodium.EnsureInitialized();
        HmacSha256State state;
        byte empty = 0;
        fixed (byte* pinnedKey = key)
            SodiumNative.crypto_auth_hmacsha256_init(&state, pinnedKey == null ? &empty : pinnedKey, (nuint)key.Length);
        return state;
    }

    private static void Update(ref HmacSha256State state, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        fixed (HmacSha256State* s = &state)
        fixed (byte* d = data)
            SodiumNative.crypto_auth_hmacsha256_update(s, d, (ulong)data.Length);
    }

    /// <summary>Writes the MAC and wipes the state.</summary>
    private static void Finish(ref HmacSha256State state, Span<byte> mac)
    {
        fixed (HmacSha256State* s = &state)
        fixed (byte* output = mac)
            SodiumNative.crypto_auth_hmacsha256_final(s, output);
        Wipe(ref state);
    }

    private static void Wipe(ref HmacSha256State state)
    {
        fixed (HmacSha256State* s = &state)
            Sodium.Wipe(new Span<byte>(s, sizeof(HmacSha256State)));
    }
}
