using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto.Secp256k1;

/// <summary>
/// A secp256k1 public key (a curve point), parsed once. It verifies libp2p identity signatures (DER ECDSA over
/// SHA-256) and, through its x coordinate, BIP340 Schnorr signatures.
/// </summary>
public sealed unsafe class Secp256k1PublicKey : IEquatable<Secp256k1PublicKey>
{
    public const int CompressedSize = 33;
    public const int UncompressedSize = 65;

    private readonly byte[] _compressed;
    private Secp256k1PublicKeyData _parsed;

    private Secp256k1PublicKey(in Secp256k1PublicKeyData parsed)
    {
        _parsed = parsed;
        _compressed = new byte[CompressedSize];
        var length = (nuint)CompressedSize;
        fixed (byte* output = _compressed)
        fixed (Secp256k1PublicKeyData* point = &_parsed)
        {
            if (Secp256k1Native.secp256k1_ec_pubkey_serialize(Secp256k1Context.Shared, output, &length, point, Secp256k1Native.EcCompressed) != 1)
                throw new CryptographicLibraryException("libsecp256k1 could not serialise one of its own points");
            SchnorrKey = SchnorrPublicKey.FromPoint(point);
        }
    }

    /// <summary>The 33-byte SEC1 compressed encoding (02/03 ‖ x), the form libp2p puts in its PublicKey protobuf.</summary>
    public ReadOnlySpan<byte> Compressed => _compressed;

    /// <summary>The 32-byte x coordinate: the BIP340 encoding of this key.</summary>
    public ReadOnlySpan<byte> XOnly => _compressed.AsSpan(1);

    /// <summary>The BIP340 view of this key (its x coordinate, parsed), for callers that cache verifiers.</summary>
    public SchnorrPublicKey SchnorrKey { get; }

    /// <summary>
    /// Parses a 33-byte compressed (02/03) or 65-byte uncompressed (04) SEC1 point. The "hybrid" 06/07 form that
    /// libsecp256k1 would also take is refused: no libp2p implementation emits it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out Secp256k1PublicKey? key)
    {
        key = null;
        var wellFormed = encoded.Length switch
        {
            CompressedSize => encoded[0] is 0x02 or 0x03,
            UncompressedSize => encoded[0] == 0x04,
            _ => false,
        };
        if (!wellFormed)
            return false;
        Secp256k1PublicKeyData parsed;
        fixed (byte* input = encoded)
        {
            if (Secp256k1Native.secp256k1_ec_pubkey_parse(Secp256k1Context.Shared, &parsed, input, (nuint)encoded.Length) != 1)
                return false;
        }
        key = new Secp256k1PublicKey(parsed);
        return true;
    }

    /// <exception cref="InvalidKeyException">The bytes are not a compressed or uncompressed secp256k1 point.</exception>
    public static Secp256k1PublicKey Parse(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length is not (CompressedSize or UncompressedSize))
            throw new InvalidKeyException($"a secp256k1 public key is {CompressedSize} (compressed) or {UncompressedSize} (uncompressed) bytes, got {encoded.Length}");
        return TryParse(encoded, out var key)
            ? key
            : throw new InvalidKeyException($"{Convert.ToHexStringLower(encoded)} is not a secp256k1 point in SEC1 encoding");
    }

    /// <summary>The public half of a key pair that <see cref="Secp256k1PrivateKey"/> keeps in wiped memory.</summary>
    internal static bool TryFromKeyPair(Secp256k1KeyPairData* keyPair, [NotNullWhen(true)] out Secp256k1PublicKey? key)
    {
        Secp256k1PublicKeyData point;
        key = Secp256k1Native.secp256k1_keypair_pub(Secp256k1Context.Shared, &point, keyPair) == 1
            ? new Secp256k1PublicKey(point)
            : null;
        return key is not null;
    }

    /// <summary>BIP340 verification against this key's x coordinate; see <see cref="SchnorrPublicKey.Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.</summary>
    public bool VerifySchnorr(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => SchnorrKey.Verify(message, signature);

    /// <summary>
    /// Verifies a libp2p secp256k1 identity signature: DER-encoded ECDSA over SHA-256(<paramref name="data"/>).
    /// libsecp256k1 accepts only low-S signatures, but go and js peers may send either half, and both are valid
    /// ECDSA; so the signature is normalised before verification. False, never an exception, for anything malformed.
    /// </summary>
    public bool VerifyEcdsaSha256Der(ReadOnlySpan<byte> data, ReadOnlySpan<byte> derSignature)
    {
        // An empty span pins to NULL, which parse_der treats as an illegal argument rather than a bad signature.
        if (derSignature.IsEmpty)
            return false;
        var context = Secp256k1Context.Shared;
        Secp256k1EcdsaSignatureData signature;
        fixed (byte* der = derSignature)
        {
            if (Secp256k1Native.secp256k1_ecdsa_signature_parse_der(context, &signature, der, (nuint)derSignature.Length) != 1)
                return false;
        }
        _ = Secp256k1Native.secp256k1_ecdsa_signature_normalize(context, &signature, &signature);
        Span<byte> digest = stackalloc byte[Sha256.HashSize];
        Sha256.Hash(data, digest);
        fixed (byte* hash = digest)
        fixed (Secp256k1PublicKeyData* point = &_parsed)
            return Secp256k1Native.secp256k1_ecdsa_verify(context, &signature, hash, point) == 1;
    }

    public bool Equals(Secp256k1PublicKey? other) => other is not null && Compressed.SequenceEqual(other.Compressed);

    public override bool Equals(object? obj) => Equals(obj as Secp256k1PublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_compressed);
        return hash.ToHashCode();
    }

    public override string ToString() => Convert.ToHexStringLower(_compressed);
}
