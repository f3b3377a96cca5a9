using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto.Secp256k1;

/// <summary>
/// A BIP340 x-only public key, parsed once. Parsing (lifting x to a curve point) costs a square root, so the vote
/// pipeline keeps one of these per validator and only pays for the verification itself on each vote.
/// </summary>
public sealed unsafe class SchnorrPublicKey : IEquatable<SchnorrPublicKey>
{
    public const int Size = 32;

    private readonly byte[] _xOnly;
    private Secp256k1XOnlyPublicKeyData _parsed;

    private SchnorrPublicKey(byte[] xOnly, in Secp256k1XOnlyPublicKeyData parsed)
    {
        _xOnly = xOnly;
        _parsed = parsed;
    }

    /// <summary>The 32-byte x coordinate, the key's BIP340 encoding.</summary>
    public ReadOnlySpan<byte> XOnly => _xOnly;

    /// <summary>False unless <paramref name="xOnly"/> is 32 bytes holding the x coordinate of a curve point.</summary>
    public static bool TryParse(ReadOnlySpan<byte> xOnly, [NotNullWhen(true)] out SchnorrPublicKey? key)
    {
        key = null;
        if (xOnly.Length != Size)
            return false;
        Secp256k1XOnlyPublicKeyData parsed;
        fixed (byte* input = xOnly)
        {
            if (Secp256k1Native.secp256k1_xonly_pubkey_parse(Secp256k1Context.Shared, &parsed, input) != 1)
                return false;
        }
        key = new SchnorrPublicKey(xOnly.ToArray(), parsed);
        return true;
    }

    /// <summary>The BIP340 key of a parsed point: its x coordinate, whatever the parity of y (no square root needed).</summary>
    internal static SchnorrPublicKey FromPoint(Secp256k1PublicKeyData* point)
    {
        var context = Secp256k1Context.Shared;
        var xOnly = new byte[Size];
        Secp256k1XOnlyPublicKeyData parsed;
        fixed (byte* output = xOnly)
        {
            if (Secp256k1Native.secp256k1_xonly_pubkey_from_pubkey(context, &parsed, null, point) != 1
                || Secp256k1Native.secp256k1_xonly_pubkey_serialize(context, output, &parsed) != 1)
                throw new CryptographicLibraryException("libsecp256k1 could not convert a parsed point to an x-only key");
        }
        return new SchnorrPublicKey(xOnly, parsed);
    }

    /// <summary>Like <see cref="TryParse"/>, for keys that come from configuration rather than the network.</summary>
    /// <exception cref="InvalidKeyException">The bytes are not a BIP340 public key.</exception>
    public static SchnorrPublicKey Parse(ReadOnlySpan<byte> xOnly)
    {
        if (xOnly.Length != Size)
            throw new InvalidKeyException($"a BIP340 public key is {Size} bytes, got {xOnly.Length}");
        return TryParse(xOnly, out var key)
            ? key
            : throw new InvalidKeyException($"{Convert.ToHexStringLower(xOnly)} is not the x coordinate of a secp256k1 point");
    }

    /// <summary>
    /// BIP340 verification of <paramref name="signature"/> over <paramref name="message"/> (any length, including 0)
    /// on the shared context. False, never an exception, for a signature that is not exactly 64 bytes.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Verify(Secp256k1Context.Shared, message, signature);

    /// <summary><see cref="Verify(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> on a worker thread's own context.</summary>
    internal bool Verify(nint context, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Secp256k1PrivateKey.SchnorrSignatureSize)
            return false;
        // An empty message pins to NULL; libsecp256k1 documents NULL as allowed exactly when msglen is 0 (the
        // BIP340 vectors include that case, and the tests check that no call ever reaches the illegal-argument hook).
        fixed (byte* sig = signature)
        fixed (byte* msg = message)
        fixed (Secp256k1XOnlyPublicKeyData* key = &_parsed)
            return Secp256k1Native.secp256k1_schnorrsig_verify(context, sig, msg, (nuint)message.Length, key) == 1;
    }

    public bool Equals(SchnorrPublicKey? other) => other is not null && XOnly.SequenceEqual(other.XOnly);

    public override bool Equals(object? obj) => Equals(obj as SchnorrPublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_xOnly);
        return hash.ToHashCode();
    }

    public override string ToString() => Convert.ToHexStringLower(_xOnly);
}
