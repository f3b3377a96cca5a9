using System.Runtime.InteropServices;

namespace Sequencer.Core.Crypto.Native;

/// <summary>
/// The parts of libsodium 1.0.18 the node uses, bound one to one with source-generated
/// <see cref="LibraryImportAttribute"/> (pointer arguments only, no marshalling). Native AOT links the static
/// archive; under the JIT the name resolves to the -dev package's libsodium.so.
/// Call <see cref="Sodium.EnsureInitialized"/> before anything else here.
/// </summary>
internal static unsafe partial class SodiumNative
{
    private const string Library = "sodium";

    /// <summary>0 on success, 1 when already initialised, -1 on failure.</summary>
    [LibraryImport(Library)] public static partial int sodium_init();
    [LibraryImport(Library)] public static partial void sodium_memzero(void* pnt, nuint len);
    [LibraryImport(Library)] public static partial void randombytes_buf(void* buf, nuint size);
    [LibraryImport(Library)] public static partial nint sodium_version_string();

    [LibraryImport(Library)] public static partial int crypto_hash_sha256(byte* output, byte* input, ulong inlen);
    [LibraryImport(Library)] public static partial int crypto_hash_sha256_init(Sha256State* state);
    [LibraryImport(Library)] public static partial int crypto_hash_sha256_update(Sha256State* state, byte* input, ulong inlen);
    [LibraryImport(Library)] public static partial int crypto_hash_sha256_final(Sha256State* state, byte* output);

    [LibraryImport(Library)] public static partial int crypto_auth_hmacsha256_init(HmacSha256State* state, byte* key, nuint keylen);
    [LibraryImport(Library)] public static partial int crypto_auth_hmacsha256_update(HmacSha256State* state, byte* input, ulong inlen);
    [LibraryImport(Library)] public static partial int crypto_auth_hmacsha256_final(HmacSha256State* state, byte* output);
}
