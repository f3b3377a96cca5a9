using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto.Secp256k1;

/// <summary>
/// A secp256k1 secret key: the validator key (BIP340 Schnorr) or a libp2p node identity (DER ECDSA).
/// </summary>
/// <remarks>
/// The secret scalar and the libsecp256k1 key pair derived from it live in one array on the pinned object heap:
/// the GC never moves it, so no stray copy survives a compaction, and <see cref="Dispose"/> (or, failing that, the
/// finalizer) wipes the only copy. Keeping the key pair, rather than rebuilding it from the scalar for each
/// signature, halves the cost of a Schnorr signature and leaves no key-pair struct on the stack to wipe.
/// Signing is thread-safe; disposing while another thread signs is not.
/// </remarks>
public sealed unsafe class Secp256k1PrivateKey : IDisposable
{
    public const int Size = 32;
    public const int SchnorrSignatureSize = 64;
    /// <summary>The longest DER ECDSA signature: SEQUENCE of two 33-byte INTEGERs (a leading zero keeps them positive).</summary>
    public const int MaxEcdsaDerSignatureSize = 72;
    /// <summary>BIP340's auxiliary randomness, mixed into the nonce as a defence against side channels and faults.</summary>
    public const int AuxiliaryRandomSize = 32;

    private const int KeyPairOffset = Size;
    private const int MaterialSize = Size + 96; // + sizeof(secp256k1_keypair)

    /// <summary>[0, 32): the secret scalar, big-endian; [32, 128): the <see cref="Secp256k1KeyPairData"/>.</summary>
    private readonly byte[] _material;
    private bool _disposed;

    private Secp256k1PrivateKey(byte[] material, Secp256k1PublicKey publicKey)
    {
        _material = material;
        PublicKey = publicKey;
    }

    ~Secp256k1PrivateKey() => Sodium.Wipe(_material);

    /// <summary>The matching public key; it is not secret, so it stays readable after <see cref="Dispose"/>.</summary>
    public Secp256k1PublicKey PublicKey { get; }

    /// <summary>A new key from libsodium's CSPRNG.</summary>
    public static Secp256k1PrivateKey Generate()
    {
        var material = AllocateMaterial();
        fixed (byte* secret = material)
        {
            // A uniform 32-byte draw is zero or ≥ n with probability below 2^-127: the loop is a formality.
            do Sodium.FillRandom(material.AsSpan(0, Size));
            while (Secp256k1Native.secp256k1_ec_seckey_verify(Secp256k1Context.Shared, secret) != 1);
        }
        return FromVerifiedScalar(material);
    }

    /// <summary>Imports a 32-byte big-endian scalar in [1, n). The caller still owns and should wipe its copy.</summary>
    /// <exception cref="InvalidKeyException">Wrong length, zero, or not below the group order n.</exception>
    public static Secp256k1PrivateKey FromBytes(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != Size)
            throw new InvalidKeyException($"a secp256k1 secret key is {Size} bytes, got {secret.Length}");
        if (!secret.ContainsAnyExcept((byte)0))
            throw new InvalidKeyException("a secp256k1 secret key cannot be zero");
        var material = AllocateMaterial();
        secret.CopyTo(material);
        fixed (byte* scalar = material)
        {
            if (Secp256k1Native.secp256k1_ec_seckey_verify(Secp256k1Context.Shared, scalar) != 1)
            {
                Sodium.Wipe(material);
                throw new InvalidKeyException("a secp256k1 secret key must be below the group order n (FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFE BAAEDCE6 AF48A03B BFD25E8C D0364141)");
            }
        }
        return FromVerifiedScalar(material);
    }

    /// <summary>Completes <paramref name="material"/>, whose scalar has passed seckey_verify, with its key pair.</summary>
    private static Secp256k1PrivateKey FromVerifiedScalar(byte[] material)
    {
        fixed (byte* secret = material)
        {
            var keyPair = (Secp256k1KeyPairData*)(secret + KeyPairOffset);
            if (Secp256k1Native.secp256k1_keypair_create(Secp256k1Context.Shared, keyPair, secret) == 1
                && Secp256k1PublicKey.TryFromKeyPair(keyPair, out var publicKey))
                return new Secp256k1PrivateKey(material, publicKey);
        }
        Sodium.Wipe(material);
        throw new CryptographicLibraryException("libsecp256k1 refused to build a key pair from a verified secret key");
    }

    /// <summary>Writes the 32-byte scalar into <paramref name="destination"/>, which the caller must wipe.</summary>
    public void CopySecretTo(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size, nameof(destination));
        _material.AsSpan(0, Size).CopyTo(destination);
    }

    /// <summary>BIP340 signature over <paramref name="message"/> (any length) with fresh auxiliary randomness.</summary>
    public void SignSchnorr(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        Span<byte> auxiliaryRandom = stackalloc byte[AuxiliaryRandomSize];
        Sodium.FillRandom(auxiliaryRandom);
        SignSchnorr(message, auxiliaryRandom, signature);
    }

    /// <summary>
    /// BIP340 signature with the given auxiliary randomness: deterministic, for test vectors. Anything else should
    /// use the overload that draws fresh randomness.
    /// </summary>
    public void SignSchnorr(ReadOnlySpan<byte> message, ReadOnlySpan<byte> auxiliaryRandom, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (auxiliaryRandom.Length != AuxiliaryRandomSize)
            throw new ArgumentException($"BIP340 auxiliary randomness is {AuxiliaryRandomSize} bytes, got {auxiliaryRandom.Length}", nameof(auxiliaryRandom));
        ArgumentOutOfRangeException.ThrowIfLessThan(signature.Length, SchnorrSignatureSize, nameof(signature));

        // No nonce function means libsecp256k1's BIP340 one; its data pointer is the auxiliary randomness.
        Secp256k1SchnorrExtraParams extraParams = default;
        Secp256k1SchnorrExtraParams.Magic.CopyTo(new Span<byte>(extraParams.MagicBytes, 4));
        // An empty message pins to NULL, which sign_custom documents as allowed exactly when msglen is 0.
        fixed (byte* aux = auxiliaryRandom)
        fixed (byte* msg = message)
        fixed (byte* sig = signature)
        fixed (byte* material = _material)
        {
            extraParams.NonceData = aux;
            var keyPair = (Secp256k1KeyPairData*)(material + KeyPairOffset);
            if (Secp256k1Native.secp256k1_schnorrsig_sign_custom(Secp256k1Context.Shared, sig, msg, (nuint)message.Length, keyPair, &extraParams) != 1)
                throw new CryptographicLibraryException("libsecp256k1 failed to make a Schnorr signature with a valid key");
        }
    }

    /// <summary>
    /// A libp2p secp256k1 identity signature: ECDSA over SHA-256(<paramref name="data"/>), nonce per RFC 6979, low-S,
    /// DER-encoded into <paramref name="destination"/> (at least <see cref="MaxEcdsaDerSignatureSize"/> bytes).
    /// </summary>
    /// <returns>The length of the DER signature written (at most 72).</returns>
    public int SignEcdsaSha256Der(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxEcdsaDerSignatureSize, nameof(destination));
        var context = Secp256k1Context.Shared;
        Span<byte> digest = stackalloc byte[Sha256.HashSize];
        Sha256.Hash(data, digest);
        Secp256k1EcdsaSignatureData signature;
        var length = (nuint)destination.Length;
        fixed (byte* hash = digest)
        fixed (byte* secret = _material)
        fixed (byte* output = destination)
        {
            // A null nonce function selects RFC 6979; libsecp256k1 always emits the low-S form.
            if (Secp256k1Native.secp256k1_ecdsa_sign(context, &signature, hash, secret, 0, 0) != 1
                || Secp256k1Native.secp256k1_ecdsa_signature_serialize_der(context, output, &length, &signature) != 1)
                throw new CryptographicLibraryException("libsecp256k1 failed to make an ECDSA signature with a valid key");
        }
        return (int)length;
    }

    /// <summary>Wipes the secret; every later use except <see cref="PublicKey"/> throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Sodium.Wipe(_material);
        GC.SuppressFinalize(this);
    }

    private static byte[] AllocateMaterial() => GC.AllocateArray<byte>(MaterialSize, pinned: true);
}
