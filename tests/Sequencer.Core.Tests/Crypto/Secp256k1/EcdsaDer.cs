using System.Formats.Asn1;
using System.Numerics;

namespace Sequencer.Core.Tests.Crypto.Secp256k1;

/// <summary>
/// An independent reader and writer of DER ECDSA signatures (.NET's ASN.1 library in strict DER mode), so the tests
/// judge what libsecp256k1 emits with code that is not libsecp256k1's.
/// </summary>
internal static class EcdsaDer
{
    /// <summary>The order n of the secp256k1 group.</summary>
    public static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    /// <summary>(r, s) of a strictly DER-encoded signature; throws on anything else, trailing bytes included.</summary>
    public static (BigInteger R, BigInteger S) Decode(ReadOnlySpan<byte> der)
    {
        var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var r = sequence.ReadInteger();
        var s = sequence.ReadInteger();
        sequence.ThrowIfNotEmpty();
        reader.ThrowIfNotEmpty();
        return (r, s);
    }

    public static byte[] Encode(BigInteger r, BigInteger s)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }
        return writer.Encode();
    }

    /// <summary>The same signature with s replaced by n − s: equally valid ECDSA, the form libsecp256k1 never emits.</summary>
    public static byte[] WithHighS(ReadOnlySpan<byte> der)
    {
        var (r, s) = Decode(der);
        return Encode(r, Order - s);
    }
}
