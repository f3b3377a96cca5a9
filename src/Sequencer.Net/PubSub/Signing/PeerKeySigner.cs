using Sequencer.Core.Identity;

namespace Sequencer.Net.PubSub.Signing;

/// <summary>StrictSign with the node's libp2p identity key (Ed25519, or secp256k1 DER ECDSA over SHA-256).</summary>
public sealed class PeerKeySigner : IPubSubSigner
{
    private readonly PeerPrivateKey _key;
    private readonly byte[] _peerId;
    private readonly byte[] _publicKey;

    /// <summary>Signs with <paramref name="key"/>, which stays owned by the caller (dispose it after the router).</summary>
    public PeerKeySigner(PeerPrivateKey key)
    {
        _key = key;
        _peerId = key.PublicKey.ToPeerId().Bytes.ToArray();
        _publicKey = key.PublicKey.ToProtobuf();
    }

    public ReadOnlyMemory<byte> PeerId => _peerId;

    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public int MaxSignatureLength => _key.MaxSignatureSize;

    public int Sign(ReadOnlySpan<byte> payload, Span<byte> signature) => _key.Sign(payload, signature);
}
