using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Curve25519;

namespace Sequencer.Core.Identity;

/// <summary>
/// A libp2p Ed25519 identity. Its <c>PrivateKey</c> data is seed ‖ public key (64 bytes), as the spec prefers; the
/// legacy 96-byte form (public key repeated) is read when both copies agree, and never written.
/// </summary>
public sealed class Ed25519PeerPrivateKey : PeerPrivateKey
{
    private const int DataSize = Ed25519PrivateKey.SeedSize + Ed25519PublicKey.Size;
    private const int LegacyDataSize = DataSize + Ed25519PublicKey.Size;

    /// <summary>Wraps <paramref name="key"/>, taking ownership: disposing this disposes it.</summary>
    public Ed25519PeerPrivateKey(Ed25519PrivateKey key)
    {
        Key = key;
        PublicKey = new Ed25519PeerPublicKey(key.PublicKey);
    }

    public Ed25519PrivateKey Key { get; }

    public override KeyType Type => KeyType.Ed25519;

    public override PeerPublicKey PublicKey { get; }

    public override int MaxSignatureSize => Ed25519PrivateKey.SignatureSize;

    public override int Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        Key.Sign(data, signature);
        return Ed25519PrivateKey.SignatureSize;
    }

    private protected override int WriteSecretData(Span<byte> destination)
    {
        Key.CopySeedTo(destination);
        Key.PublicKey.Bytes.CopyTo(destination[Ed25519PrivateKey.SeedSize..]);
        return DataSize;
    }

    internal static IdentityError TryDecode(ReadOnlySpan<byte> data, out PeerPrivateKey? key)
    {
        key = null;
        if (data.Length is not (DataSize or LegacyDataSize))
            return IdentityError.InvalidKeyLength;
        var storedPublicKey = data.Slice(Ed25519PrivateKey.SeedSize, Ed25519PublicKey.Size);
        if (data.Length == LegacyDataSize && !storedPublicKey.SequenceEqual(data[DataSize..]))
            return IdentityError.InvalidKey;

        var privateKey = Ed25519PrivateKey.FromSeed(data[..Ed25519PrivateKey.SeedSize]);
        if (!privateKey.PublicKey.Bytes.SequenceEqual(storedPublicKey))
        {
            privateKey.Dispose();
            return IdentityError.InvalidKey;
        }
        key = new Ed25519PeerPrivateKey(privateKey);
        return IdentityError.None;
    }

    public override void Dispose() => Key.Dispose();
}
