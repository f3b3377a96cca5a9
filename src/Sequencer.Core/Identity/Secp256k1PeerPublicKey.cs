using Sequencer.Core.Crypto.Secp256k1;

namespace Sequencer.Core.Identity;

/// <summary>
/// A libp2p secp256k1 public key: <c>Data</c> is the 33-byte compressed SEC1 point, signatures are DER ECDSA over
/// SHA-256. The 65-byte uncompressed form is accepted when decoding (go and js parse it too) but the key is always
/// re-encoded compressed, so its protobuf and peer id are the ones every implementation computes.
/// </summary>
public sealed class Secp256k1PeerPublicKey(Secp256k1PublicKey key) : PeerPublicKey
{
    public Secp256k1PublicKey Key { get; } = key;

    public override KeyType Type => KeyType.Secp256k1;

    public override ReadOnlySpan<byte> RawBytes => Key.Compressed;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => Key.VerifyEcdsaSha256Der(data, signature);

    internal static IdentityError TryCreate(ReadOnlySpan<byte> rawBytes, out PeerPublicKey? key)
    {
        key = null;
        if (rawBytes.Length is not (Secp256k1PublicKey.CompressedSize or Secp256k1PublicKey.UncompressedSize))
            return IdentityError.InvalidKeyLength;
        if (!Secp256k1PublicKey.TryParse(rawBytes, out var parsed))
            return IdentityError.InvalidKey;
        key = new Secp256k1PeerPublicKey(parsed);
        return IdentityError.None;
    }
}
