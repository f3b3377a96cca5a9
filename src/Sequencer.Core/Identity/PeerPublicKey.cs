namespace Sequencer.Core.Identity;

/// <summary>
/// A libp2p public key of a supported type: what a peer proves it holds in the Noise handshake, what signs its
/// GossipSub messages, and what its <see cref="PeerId"/> is derived from. Immutable; equal when type and key bytes
/// are equal.
/// </summary>
public abstract class PeerPublicKey : IEquatable<PeerPublicKey>
{
    private PeerId _peerId;

    private protected PeerPublicKey()
    {
    }

    public abstract KeyType Type { get; }

    /// <summary>The key as the protobuf's <c>Data</c> field carries it (Ed25519: 32 bytes; secp256k1: 33-byte compressed point).</summary>
    public abstract ReadOnlySpan<byte> RawBytes { get; }

    /// <summary>Checks a libp2p signature of this key type (Ed25519: 64 bytes; secp256k1: DER ECDSA over SHA-256 of <paramref name="data"/>).</summary>
    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>Length of the canonical <c>PublicKey</c> protobuf.</summary>
    public int ProtobufSize => KeyProtobuf.GetSize(Type, RawBytes.Length);

    /// <summary>Writes the canonical <c>PublicKey</c> protobuf; returns its length (<see cref="ProtobufSize"/>).</summary>
    public int WriteProtobuf(Span<byte> destination) => KeyProtobuf.Write(Type, RawBytes, destination);

    public byte[] ToProtobuf()
    {
        var protobuf = new byte[ProtobufSize];
        WriteProtobuf(protobuf);
        return protobuf;
    }

    /// <summary>
    /// Decodes a <c>PublicKey</c> protobuf. Every malformed, non-canonical, unsupported or invalid input gives a typed
    /// error and a null key; nothing throws.
    /// </summary>
    public static IdentityError TryDecodeProtobuf(ReadOnlySpan<byte> protobuf, out PeerPublicKey? key)
    {
        key = null;
        var error = KeyProtobuf.TryRead(protobuf, out var type, out var data);
        return error != IdentityError.None ? error : TryCreate(type, data, out key);
    }

    /// <summary>The key of <paramref name="type"/> whose <c>Data</c> bytes are <paramref name="rawBytes"/>.</summary>
    public static IdentityError TryCreate(KeyType type, ReadOnlySpan<byte> rawBytes, out PeerPublicKey? key)
    {
        key = null;
        switch (type)
        {
            case KeyType.Ed25519:
                return Ed25519PeerPublicKey.TryCreate(rawBytes, out key);
            case KeyType.Secp256k1:
                return Secp256k1PeerPublicKey.TryCreate(rawBytes, out key);
            default:
                return IdentityError.UnsupportedKeyType;
        }
    }

    /// <summary>The peer id of this key (computed once, then cached).</summary>
    public PeerId ToPeerId()
    {
        if (_peerId.IsEmpty)
            _peerId = PeerId.FromPublicKey(this);
        return _peerId;
    }

    public bool Equals(PeerPublicKey? other) =>
        other is not null && Type == other.Type && RawBytes.SequenceEqual(other.RawBytes);

    public override bool Equals(object? obj) => Equals(obj as PeerPublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(RawBytes);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Type}:{Convert.ToHexStringLower(RawBytes)}";
}
