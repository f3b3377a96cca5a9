using System.Runtime.InteropServices;

namespace Sequencer.Core.Crypto.Native;

/// <summary>
/// The libsecp256k1 0.2 C API, bound one to one with source-generated <see cref="LibraryImportAttribute"/>.
/// Every argument is a raw pointer or a blittable value, so each call is a direct native call with no marshalling:
/// the same cost as the "bare P/Invoke" baseline in the benchmarks. Native AOT links the static archive
/// (see Sequencer.Host.csproj); under the JIT the name resolves to the -dev package's libsecp256k1.so.
/// </summary>
/// <remarks>
/// Callers must never pass NULL (beware: pinning an empty span yields NULL) or a context that is not
/// <see cref="Secp256k1Context"/>'s. By default libsecp256k1 answers an illegal argument by calling abort();
/// <see cref="Secp256k1Context"/> installs a callback so such a call returns 0 instead of ending the process.
/// Every function returns 1 on success and 0 on failure unless noted.
/// Only the public API is used: there is no field or curve arithmetic of our own anywhere.
/// </remarks>
internal static unsafe partial class Secp256k1Native
{
    private const string Library = "secp256k1";

    /// <summary>SECP256K1_CONTEXT_NONE: since 0.2 one context serves signing and verification alike.</summary>
    public const uint ContextNone = 1;
    public const uint EcCompressed = (1 << 1) | (1 << 8);
    public const uint EcUncompressed = 1 << 1;

    [LibraryImport(Library)] public static partial nint secp256k1_context_create(uint flags);
    [LibraryImport(Library)] public static partial nint secp256k1_context_clone(nint ctx);
    [LibraryImport(Library)] public static partial void secp256k1_context_destroy(nint ctx);
    [LibraryImport(Library)] public static partial int secp256k1_context_randomize(nint ctx, byte* seed32);
    [LibraryImport(Library)] public static partial void secp256k1_context_set_illegal_callback(nint ctx, delegate* unmanaged<byte*, void*, void> fun, void* data);

    [LibraryImport(Library)] public static partial int secp256k1_ec_seckey_verify(nint ctx, byte* seckey);
    [LibraryImport(Library)] public static partial int secp256k1_ec_seckey_negate(nint ctx, byte* seckey);
    [LibraryImport(Library)] public static partial int secp256k1_ec_seckey_tweak_add(nint ctx, byte* seckey, byte* tweak32);
    [LibraryImport(Library)] public static partial int secp256k1_ec_seckey_tweak_mul(nint ctx, byte* seckey, byte* tweak32);

    [LibraryImport(Library)] public static partial int secp256k1_ec_pubkey_create(nint ctx, Secp256k1PublicKeyData* pubkey, byte* seckey);
    [LibraryImport(Library)] public static partial int secp256k1_ec_pubkey_parse(nint ctx, Secp256k1PublicKeyData* pubkey, byte* input, nuint inputlen);
    [LibraryImport(Library)] public static partial int secp256k1_ec_pubkey_serialize(nint ctx, byte* output, nuint* outputlen, Secp256k1PublicKeyData* pubkey, uint flags);
    [LibraryImport(Library)] public static partial int secp256k1_ec_pubkey_cmp(nint ctx, Secp256k1PublicKeyData* pubkey1, Secp256k1PublicKeyData* pubkey2);
    [LibraryImport(Library)] public static partial int secp256k1_ec_pubkey_negate(nint ctx, Secp256k1PublicKeyData* pubkey);
    [LibraryImport(Library)] public static partial int secp256k1_ec_pubkey_tweak_add(nint ctx, Secp256k1PublicKeyData* pubkey, byte* tweak32);
    [LibraryImport(Library)] public static partial int secp256k1_ec_pubkey_tweak_mul(nint ctx, Secp256k1PublicKeyData* pubkey, byte* tweak32);
    [LibraryImport(Library)] public static partial int secp256k1_ec_pubkey_combine(nint ctx, Secp256k1PublicKeyData* output, Secp256k1PublicKeyData** ins, nuint n);

    [LibraryImport(Library)] public static partial int secp256k1_ecdsa_sign(nint ctx, Secp256k1EcdsaSignatureData* sig, byte* msghash32, byte* seckey, nint noncefp, nint ndata);
    [LibraryImport(Library)] public static partial int secp256k1_ecdsa_verify(nint ctx, Secp256k1EcdsaSignatureData* sig, byte* msghash32, Secp256k1PublicKeyData* pubkey);
    [LibraryImport(Library)] public static partial int secp256k1_ecdsa_signature_parse_der(nint ctx, Secp256k1EcdsaSignatureData* sig, byte* input, nuint inputlen);
    [LibraryImport(Library)] public static partial int secp256k1_ecdsa_signature_parse_compact(nint ctx, Secp256k1EcdsaSignatureData* sig, byte* input64);
    [LibraryImport(Library)] public static partial int secp256k1_ecdsa_signature_serialize_der(nint ctx, byte* output, nuint* outputlen, Secp256k1EcdsaSignatureData* sig);
    [LibraryImport(Library)] public static partial int secp256k1_ecdsa_signature_serialize_compact(nint ctx, byte* output64, Secp256k1EcdsaSignatureData* sig);
    /// <summary>Returns 1 when the input was not lower-S (and writes the normalized form), 0 when it already was.</summary>
    [LibraryImport(Library)] public static partial int secp256k1_ecdsa_signature_normalize(nint ctx, Secp256k1EcdsaSignatureData* sigout, Secp256k1EcdsaSignatureData* sigin);

    [LibraryImport(Library)] public static partial int secp256k1_tagged_sha256(nint ctx, byte* hash32, byte* tag, nuint taglen, byte* msg, nuint msglen);

    [LibraryImport(Library)] public static partial int secp256k1_xonly_pubkey_parse(nint ctx, Secp256k1XOnlyPublicKeyData* pubkey, byte* input32);
    [LibraryImport(Library)] public static partial int secp256k1_xonly_pubkey_serialize(nint ctx, byte* output32, Secp256k1XOnlyPublicKeyData* pubkey);
    [LibraryImport(Library)] public static partial int secp256k1_xonly_pubkey_from_pubkey(nint ctx, Secp256k1XOnlyPublicKeyData* xonly, int* parity, Secp256k1PublicKeyData* pubkey);
    [LibraryImport(Library)] public static partial int secp256k1_keypair_create(nint ctx, Secp256k1KeyPairData* keypair, byte* seckey);
    [LibraryImport(Library)] public static partial int secp256k1_keypair_xonly_pub(nint ctx, Secp256k1XOnlyPublicKeyData* pubkey, int* parity, Secp256k1KeyPairData* keypair);

    [LibraryImport(Library)] public static partial int secp256k1_schnorrsig_sign32(nint ctx, byte* sig64, byte* msg32, Secp256k1KeyPairData* keypair, byte* auxRand32);
    [LibraryImport(Library)] public static partial int secp256k1_schnorrsig_sign_custom(nint ctx, byte* sig64, byte* msg, nuint msglen, Secp256k1KeyPairData* keypair, Secp256k1SchnorrExtraParams* extraparams);
    [LibraryImport(Library)] public static partial int secp256k1_schnorrsig_verify(nint ctx, byte* sig64, byte* msg, nuint msglen, Secp256k1XOnlyPublicKeyData* pubkey);

    [LibraryImport(Library)] public static partial int secp256k1_keypair_pub(nint ctx, Secp256k1PublicKeyData* pubkey, Secp256k1KeyPairData* keypair);
}
