using System.Runtime.InteropServices;

namespace Sequencer.Core.Crypto.Native;

// The opaque structs of libsecp256k1's API, sized as its header declares them. Their contents are
// implementation-defined: only libsecp256k1 may read or write them (serialize to get portable bytes).

/// <summary><c>secp256k1_pubkey</c>: 64 opaque bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal unsafe struct Secp256k1PublicKeyData
{
    private fixed byte _data[64];
}

/// <summary><c>secp256k1_xonly_pubkey</c>: 64 opaque bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal unsafe struct Secp256k1XOnlyPublicKeyData
{
    private fixed byte _data[64];
}

/// <summary><c>secp256k1_keypair</c>: 96 opaque bytes, holding the secret key: wipe it after use.</summary>
[StructLayout(LayoutKind.Sequential, Size = 96)]
internal unsafe struct Secp256k1KeyPairData
{
    private fixed byte _data[96];
}

/// <summary><c>secp256k1_ecdsa_signature</c>: 64 opaque bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal unsafe struct Secp256k1EcdsaSignatureData
{
    private fixed byte _data[64];
}

/// <summary><c>secp256k1_schnorrsig_extraparams</c>: magic, nonce function, nonce data.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Secp256k1SchnorrExtraParams
{
    /// <summary>SECP256K1_SCHNORRSIG_EXTRAPARAMS_MAGIC.</summary>
    public static ReadOnlySpan<byte> Magic => [0xda, 0x6f, 0xb3, 0x8c];

    public fixed byte MagicBytes[4];
    public nint NonceFunction;
    public void* NonceData;
}
