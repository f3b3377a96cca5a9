using System.Globalization;
using System.Numerics;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// secp256k1 keys and signatures as peers send them: SEC1 public keys in identity protobufs, DER ECDSA signatures
/// in Noise payloads and gossip, BIP340 keys and signatures in votes. Input: mode ‖ key ‖ signature length (1 byte)
/// ‖ signature ‖ data. The mode picks the key's length (33, 65 or 32 bytes, or a length byte for any other) and, with
/// a 32-byte key, whether it is a BIP340 key or a secret key to sign with. Checks: TryParse and Parse agree (Parse
/// throws only <see cref="InvalidKeyException"/>); a parsed key's compressed form is canonical and parses back to it;
/// verification with arbitrary signatures returns false rather than throwing; a secret key signs in both schemes and
/// its own signatures verify.
/// </summary>
internal sealed class Secp256k1SignaturesTarget : IFuzzTarget
{
    // n, the group order: s and n − s are the two halves a valid ECDSA signature can take.
    private static readonly BigInteger s_groupOrder = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber);

    public string Name => "secp256k1-signatures";

    public IEnumerable<byte[]> Seeds()
    {
        var secret = new byte[Secp256k1PrivateKey.Size];
        secret[^1] = 7;
        using var key = Secp256k1PrivateKey.FromBytes(secret);
        var data = "noise-libp2p-static-key:"u8.ToArray();
        var der = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
        var derLength = key.SignEcdsaSha256Der(data, der);
        yield return [0x00, .. key.PublicKey.Compressed, (byte)derLength, .. der.AsSpan(0, derLength), .. data];

        var schnorr = new byte[Secp256k1PrivateKey.SchnorrSignatureSize];
        key.SignSchnorr(data, new byte[Secp256k1PrivateKey.AuxiliaryRandomSize], schnorr);
        yield return [0x02, .. key.PublicKey.XOnly, (byte)schnorr.Length, .. schnorr, .. data];
        yield return [0x06, .. secret, 0, .. data];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var mode = input[0];
        var rest = input[1..];
        int keyLength;
        switch (mode & 3)
        {
            case 0: keyLength = Secp256k1PublicKey.CompressedSize; break;
            case 1: keyLength = Secp256k1PublicKey.UncompressedSize; break;
            case 2: keyLength = SchnorrPublicKey.Size; break;
            default:
                if (rest.IsEmpty)
                    return;
                keyLength = rest[0];
                rest = rest[1..];
                break;
        }
        var key = rest[..Math.Min(keyLength, rest.Length)];
        rest = rest[key.Length..];
        var signatureLength = rest.IsEmpty ? 0 : Math.Min(rest[0], rest.Length - 1);
        var signature = rest.IsEmpty ? rest : rest.Slice(1, signatureLength);
        var data = rest.IsEmpty ? rest : rest[(1 + signatureLength)..];

        if ((mode & 3) == 2 && (mode & 4) != 0)
            SignAndVerify(key, data);
        else if ((mode & 3) == 2)
            CheckSchnorrKey(key, signature, data);
        else
            CheckSec1Key(key, signature, data);
    }

    private static void CheckSec1Key(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> data)
    {
        var parsed = Secp256k1PublicKey.TryParse(encoded, out var key);
        ThrowIf(parsed != ParseSucceeds(encoded), "Secp256k1PublicKey.TryParse and Parse disagree");
        if (!parsed)
            return;
        ThrowIf(encoded.Length == Secp256k1PublicKey.CompressedSize && !key!.Compressed.SequenceEqual(encoded),
            "a compressed key does not serialise back to its bytes");
        ThrowIf(encoded.Length == Secp256k1PublicKey.UncompressedSize
            && (!key!.XOnly.SequenceEqual(encoded.Slice(1, 32)) || key.Compressed[0] != 2 + (encoded[^1] & 1)),
            "an uncompressed key's compressed form has another x or parity");
        ThrowIf(!Secp256k1PublicKey.TryParse(key!.Compressed, out var again) || !again.Equals(key),
            "a key's compressed form does not parse back to it");
        key.VerifyEcdsaSha256Der(data, signature);
        key.VerifySchnorr(data, signature);
    }

    private static void CheckSchnorrKey(ReadOnlySpan<byte> xOnly, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> data)
    {
        var parsed = SchnorrPublicKey.TryParse(xOnly, out var key);
        bool parseSucceeds;
        try
        {
            SchnorrPublicKey.Parse(xOnly);
            parseSucceeds = true;
        }
        catch (InvalidKeyException)
        {
            parseSucceeds = false;
        }
        ThrowIf(parsed != parseSucceeds, "SchnorrPublicKey.TryParse and Parse disagree");
        if (!parsed)
            return;
        ThrowIf(!key!.XOnly.SequenceEqual(xOnly), "a BIP340 key does not serialise back to its bytes");
        key.Verify(data, signature);
    }

    private static void SignAndVerify(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> data)
    {
        Secp256k1PrivateKey key;
        try
        {
            key = Secp256k1PrivateKey.FromBytes(secret);
        }
        catch (InvalidKeyException)
        {
            return;
        }
        using (key)
        {
            Span<byte> der = stackalloc byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
            var derLength = key.SignEcdsaSha256Der(data, der);
            ThrowIf(!key.PublicKey.VerifyEcdsaSha256Der(data, der[..derLength]), "an ECDSA signature does not verify under its key");
            ThrowIf(!key.PublicKey.VerifyEcdsaSha256Der(data, WithHighS(der[..derLength])),
                "the high-S twin of a valid ECDSA signature (as go and js peers may send) does not verify");
            Span<byte> schnorr = stackalloc byte[Secp256k1PrivateKey.SchnorrSignatureSize];
            key.SignSchnorr(data, stackalloc byte[Secp256k1PrivateKey.AuxiliaryRandomSize], schnorr);
            ThrowIf(!key.PublicKey.VerifySchnorr(data, schnorr), "a BIP340 signature does not verify under its key");
            schnorr[data.Length % schnorr.Length] ^= 1;
            ThrowIf(key.PublicKey.VerifySchnorr(data, schnorr), "a BIP340 signature with one bit changed still verifies");
        }
    }

    /// <summary>The same ECDSA signature with s replaced by n − s, DER-encoded: 30 len 02 rlen r 02 slen s.</summary>
    private static byte[] WithHighS(ReadOnlySpan<byte> der)
    {
        var rLength = der[3];
        var r = der.Slice(4, rLength);
        var s = der[(4 + rLength + 2)..];
        var highS = (s_groupOrder - new BigInteger(s, isUnsigned: true, isBigEndian: true))
            .ToByteArray(isUnsigned: false, isBigEndian: true);
        byte[] body = [0x02, (byte)r.Length, .. r, 0x02, (byte)highS.Length, .. highS];
        return [0x30, (byte)body.Length, .. body];
    }

    private static bool ParseSucceeds(ReadOnlySpan<byte> encoded)
    {
        try
        {
            Secp256k1PublicKey.Parse(encoded);
            return true;
        }
        catch (InvalidKeyException)
        {
            return false;
        }
    }
}
