namespace Sequencer.Core.Identity;

/// <summary>The libp2p <c>KeyType</c> enum (peer-ids spec); the values are the protobuf wire values.</summary>
/// <remarks>Only <see cref="Ed25519"/> and <see cref="Secp256k1"/> are supported; the others decode to <see cref="IdentityError.UnsupportedKeyType"/>.</remarks>
public enum KeyType
{
    Rsa = 0,
    Ed25519 = 1,
    Secp256k1 = 2,
    Ecdsa = 3,
}
