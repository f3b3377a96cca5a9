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

    // Ed25519 (the secret key is libsodium's 64-byte seed ‖ public key layout).
    [LibraryImport(Library)] public static partial int crypto_sign_ed25519_seed_keypair(byte* pk, byte* sk, byte* seed);
    [LibraryImport(Library)] public static partial int crypto_sign_ed25519_detached(byte* sig, ulong* siglen_p, byte* m, ulong mlen, byte* sk);
    [LibraryImport(Library)] public static partial int crypto_sign_ed25519_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);

    // X25519: crypto_scalarmult_curve25519 returns -1 when the result is all zeros (a low-order peer point).
    [LibraryImport(Library)] public static partial int crypto_scalarmult_curve25519(byte* q, byte* n, byte* p);
    [LibraryImport(Library)] public static partial int crypto_scalarmult_curve25519_base(byte* q, byte* n);

    // IETF ChaCha20-Poly1305 (RFC 8439), detached tag; nsec is unused and must be NULL.
    [LibraryImport(Library)]
    public static partial int crypto_aead_chacha20poly1305_ietf_encrypt_detached(
        byte* c, byte* mac, ulong* maclen_p, byte* m, ulong mlen, byte* ad, ulong adlen, byte* nsec, byte* npub, byte* k);
    [LibraryImport(Library)]
    public static partial int crypto_aead_chacha20poly1305_ietf_decrypt_detached(
        byte* m, byte* nsec, byte* c, ulong clen, byte* mac, byte* ad, ulong adlen, byte* npub, byte* k);
}
