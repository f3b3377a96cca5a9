using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Crypto.Secp256k1;

namespace Sequencer.Core.Identity;

/// <summary>
/// A node's libp2p identity key of a supported type. The secret stays inside the underlying key (unmanaged memory,
/// wiped on dispose); <see cref="ToProtobuf"/> is the one way it leaves, for the key file.
/// </summary>
public abstract class PeerPrivateKey : IDisposable
{
    /// <summary>The largest <c>Data</c> field any supported private key has (Ed25519: seed ‖ public key).</summary>
    private protected const int MaxSecretDataSize = 64;

    private protected PeerPrivateKey()
    {
    }

    public abstract KeyType Type { get; }

    public abstract PeerPublicKey PublicKey { get; }

    /// <summary>An upper bound on <see cref="Sign"/>'s output (Ed25519: 64; secp256k1 DER: 72).</summary>
    public abstract int MaxSignatureSize { get; }

    /// <summary>A fresh key from the operating system's CSPRNG.</summary>
    /// <exception cref="ArgumentException"><paramref name="type"/> is RSA or ECDSA, which this node does not support.</exception>
    public static PeerPrivateKey Generate(KeyType type) => type switch
    {
        KeyType.Ed25519 => new Ed25519PeerPrivateKey(Ed25519PrivateKey.Generate()),
        KeyType.Secp256k1 => new Secp256k1PeerPrivateKey(Secp256k1PrivateKey.Generate()),
        _ => throw new ArgumentException($"{type} identity keys are not supported (use Ed25519 or Secp256k1)", nameof(type)),
    };

    /// <summary>Signs <paramref name="data"/> the libp2p way for this key type; returns the signature's length.</summary>
    public abstract int Sign(ReadOnlySpan<byte> data, Span<byte> signature);

    /// <summary>
    /// The canonical <c>PrivateKey</c> protobuf: the key file's content. It holds the secret: wipe it
    /// (<see cref="Sodium.Wipe"/>) once written.
    /// </summary>
    public byte[] ToProtobuf()
    {
        Span<byte> data = stackalloc byte[MaxSecretDataSize];
        try
        {
            var length = WriteSecretData(data);
            var protobuf = new byte[KeyProtobuf.GetSize(Type, length)];
            KeyProtobuf.Write(Type, data[..length], protobuf);
            return protobuf;
        }
        finally
        {
            Sodium.Wipe(data);
        }
    }

    /// <summary>
    /// Decodes a <c>PrivateKey</c> protobuf, checking that the secret is a valid key of its type (and, for Ed25519,
    /// that the stored public key is the one the seed gives). Bad input gives a typed error, never an exception.
    /// </summary>
    public static IdentityError TryDecodeProtobuf(ReadOnlySpan<byte> protobuf, out PeerPrivateKey? key)
    {
        key = null;
        var error = KeyProtobuf.TryRead(protobuf, out var type, out var data);
        if (error != IdentityError.None)
            return error;
        return type switch
        {
            KeyType.Ed25519 => Ed25519PeerPrivateKey.TryDecode(data, out key),
            KeyType.Secp256k1 => Secp256k1PeerPrivateKey.TryDecode(data, out key),
            _ => IdentityError.UnsupportedKeyType,
        };
    }

    /// <summary>Writes the protobuf <c>Data</c> field (secret material) and returns its length.</summary>
    private protected abstract int WriteSecretData(Span<byte> destination);

    /// <summary>Wipes and frees the secret.</summary>
    public abstract void Dispose();
}
