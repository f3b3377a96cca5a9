namespace Sequencer.Net.PubSub.Signing;

/// <summary>The node's identity as StrictSign publishing needs it.</summary>
public interface IPubSubSigner
{
    /// <summary>The node's peer id (multihash bytes): the <c>from</c> of every message it publishes.</summary>
    ReadOnlyMemory<byte> PeerId { get; }

    /// <summary>The node's public key as a libp2p <c>PublicKey</c> protobuf: the <c>key</c> of its messages.</summary>
    ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>An upper bound of <see cref="Sign"/>'s output (64 for Ed25519, 72 for DER ECDSA on secp256k1).</summary>
    int MaxSignatureLength { get; }

    /// <summary>Signs <paramref name="payload"/> with the node's identity key; returns the signature's length.</summary>
    int Sign(ReadOnlySpan<byte> payload, Span<byte> signature);
}
