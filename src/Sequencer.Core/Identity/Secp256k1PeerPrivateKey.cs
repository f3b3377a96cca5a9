using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;

namespace Sequencer.Core.Identity;

/// <summary>
/// A libp2p secp256k1 identity. Its <c>PrivateKey</c> data is the 32-byte big-endian scalar, read as an unsigned
/// number (a scalar whose first byte is ≥ 0x80 is as valid as any other below the group order).
/// </summary>
public sealed class Secp256k1PeerPrivateKey : PeerPrivateKey
{
    /// <summary>Wraps <paramref name="key"/>, taking ownership: disposing this disposes it.</summary>
    public Secp256k1PeerPrivateKey(Secp256k1PrivateKey key)
    {
        Key = key;
        PublicKey = new Secp256k1PeerPublicKey(key.PublicKey);
    }

    public Secp256k1PrivateKey Key { get; }

    public override KeyType Type => KeyType.Secp256k1;

    public override PeerPublicKey PublicKey { get; }

    public override int MaxSignatureSize => Secp256k1PrivateKey.MaxEcdsaDerSignatureSize;

    public override int Sign(ReadOnlySpan<byte> data, Span<byte> signature) => Key.SignEcdsaSha256Der(data, signature);

    private protected override int WriteSecretData(Span<byte> destination)
    {
        Key.CopySecretTo(destination);
        return Secp256k1PrivateKey.Size;
    }

    internal static IdentityError TryDecode(ReadOnlySpan<byte> data, out PeerPrivateKey? key)
    {
        key = null;
        if (data.Length != Secp256k1PrivateKey.Size)
            return IdentityError.InvalidKeyLength;
        try
        {
            key = new Secp256k1PeerPrivateKey(Secp256k1PrivateKey.FromBytes(data));
            return IdentityError.None;
        }
        catch (InvalidKeyException)
        {
            // Zero or not below the group order: the only reasons left once the length is right.
            return IdentityError.InvalidKey;
        }
    }

    public override void Dispose() => Key.Dispose();
}
