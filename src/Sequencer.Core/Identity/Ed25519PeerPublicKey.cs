using Sequencer.Core.Crypto.Curve25519;

namespace Sequencer.Core.Identity;

/// <summary>A libp2p Ed25519 public key: <c>Data</c> is the 32-byte RFC 8032 key, signatures are plain Ed25519.</summary>
public sealed class Ed25519PeerPublicKey(Ed25519PublicKey key) : PeerPublicKey
{
    public Ed25519PublicKey Key { get; } = key;

    public override KeyType Type => KeyType.Ed25519;

    public override ReadOnlySpan<byte> RawBytes => Key.Bytes;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => Key.Verify(data, signature);

    internal static IdentityError TryCreate(ReadOnlySpan<byte> rawBytes, out PeerPublicKey? key)
    {
        key = Ed25519PublicKey.TryParse(rawBytes, out var parsed) ? new Ed25519PeerPublicKey(parsed) : null;
        return key is null ? IdentityError.InvalidKeyLength : IdentityError.None;
    }
}
