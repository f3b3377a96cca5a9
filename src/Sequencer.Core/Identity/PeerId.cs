using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Crypto;
using Sequencer.Core.Formats;

namespace Sequencer.Core.Identity;

/// <summary>
/// A libp2p peer id: the multihash of the peer's canonical <c>PublicKey</c> protobuf, inline ("identity" multihash)
/// when that is at most 42 bytes (every Ed25519 and secp256k1 key), SHA-256 otherwise. Text forms: base58btc of the
/// multihash (<c>12D3KooW…</c>, <c>16Uiu2…</c>, <c>Qm…</c>), the canonical one, and the CIDv1 form
/// (multibase base32 <c>b…</c>, codec libp2p-key). <c>default</c> is the empty id, equal to no real one.
/// </summary>
public readonly struct PeerId : IEquatable<PeerId>
{
    /// <summary>Public key protobufs up to this size are embedded in the id rather than hashed.</summary>
    public const int MaxInlineKeySize = 42;

    private const byte IdentityCode = 0x00;
    private const byte Sha256Code = 0x12;
    private const byte CidVersion = 0x01;
    private const byte LibP2pKeyCodec = 0x72;
    // Code and length of an inline multihash are one byte each (both below 0x80).
    private const int MaxMultihashSize = 2 + MaxInlineKeySize;
    private const int MaxCidSize = 2 + MaxMultihashSize;
    // Bounds the (quadratic) base58 work on hostile text: 44 bytes need 61 base58 digits, 46 need 74 base32 ones.
    private const int MaxTextLength = 96;

    private readonly byte[]? _multihash;

    private PeerId(byte[] multihash) => _multihash = multihash;

    /// <summary>The multihash bytes (what GossipSub's <c>from</c> field and signed peer records carry).</summary>
    public ReadOnlySpan<byte> Bytes => _multihash;

    public bool IsEmpty => _multihash is null;

    public static PeerId FromPublicKey(PeerPublicKey key)
    {
        Span<byte> protobuf = stackalloc byte[key.ProtobufSize];
        key.WriteProtobuf(protobuf);
        return FromPublicKeyProtobuf(protobuf);
    }

    /// <summary>
    /// The id of a canonical <c>PublicKey</c> protobuf of any key type, supported here or not (an RSA or ECDSA peer
    /// still has an id, and those are the keys long enough to be hashed).
    /// </summary>
    public static PeerId FromPublicKeyProtobuf(ReadOnlySpan<byte> protobuf)
    {
        if (protobuf.Length <= MaxInlineKeySize)
        {
            var inline = new byte[2 + protobuf.Length];
            inline[0] = IdentityCode;
            inline[1] = (byte)protobuf.Length;
            protobuf.CopyTo(inline.AsSpan(2));
            return new PeerId(inline);
        }
        var hashed = new byte[2 + Sha256.HashSize];
        hashed[0] = Sha256Code;
        hashed[1] = Sha256.HashSize;
        Sha256.Hash(protobuf, hashed.AsSpan(2));
        return new PeerId(hashed);
    }

    /// <summary>
    /// The id whose multihash is <paramref name="multihash"/>: identity (at most 42 bytes) or SHA-256 (32 bytes),
    /// minimal varints, nothing after the digest. False for anything else.
    /// </summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> multihash, out PeerId id)
    {
        id = IsPeerIdMultihash(multihash) ? new PeerId(multihash.ToArray()) : default;
        return !id.IsEmpty;
    }

    /// <summary>Parses either text form: base58btc (<c>1…</c>, <c>Qm…</c>) or a CIDv1 in base32 (<c>b…</c>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PeerId id)
    {
        id = default;
        if (text.IsEmpty || text.Length > MaxTextLength)
            return false;
        Span<byte> buffer = stackalloc byte[MaxCidSize];
        if (text[0] == '1' || text.StartsWith("Qm", StringComparison.Ordinal))
            return Base58.TryDecode(text, buffer[..MaxMultihashSize], out var length) && TryFromBytes(buffer[..length], out id);
        if (text[0] == 'b')
        {
            if (!Base32.TryDecode(text[1..], buffer, out var length))
                return false;
            // <cid-version><multicodec><multihash>; both prefixes are one-byte varints.
            return length > 2 && buffer[0] == CidVersion && buffer[1] == LibP2pKeyCodec && TryFromBytes(buffer[2..length], out id);
        }
        return false;
    }

    /// <exception cref="FormatException">Not a peer id in either text form.</exception>
    public static PeerId Parse(string text) =>
        TryParse(text, out var id)
            ? id
            : throw new FormatException(
                $"'{(text.Length > MaxTextLength ? text[..MaxTextLength] + "…" : text)}' is not a peer id (base58btc multihash or base32 CIDv1 with codec libp2p-key)");

    /// <summary>The embedded public key of an identity-multihash id (every Ed25519 and secp256k1 peer).</summary>
    public bool TryGetPublicKey([NotNullWhen(true)] out PeerPublicKey? key)
    {
        key = null;
        return _multihash is [IdentityCode, ..]
            && PeerPublicKey.TryDecodeProtobuf(_multihash.AsSpan(2), out key) == IdentityError.None;
    }

    /// <summary>The canonical text form: base58btc of the multihash.</summary>
    public override string ToString() => Base58.Encode(Bytes);

    /// <summary>The CIDv1 text form: <c>b</c> + base32(0x01 ‖ 0x72 ‖ multihash).</summary>
    public string ToCidString()
    {
        Span<byte> cid = stackalloc byte[2 + Bytes.Length];
        cid[0] = CidVersion;
        cid[1] = LibP2pKeyCodec;
        Bytes.CopyTo(cid[2..]);
        Span<char> text = stackalloc char[1 + Base32.GetEncodedLength(cid.Length)];
        text[0] = 'b';
        Base32.Encode(cid, text[1..]);
        return new string(text);
    }

    public bool Equals(PeerId other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is PeerId other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(PeerId left, PeerId right) => left.Equals(right);

    public static bool operator !=(PeerId left, PeerId right) => !left.Equals(right);

    private static bool IsPeerIdMultihash(ReadOnlySpan<byte> multihash)
    {
        if (UnsignedVarint.TryRead(multihash, out var code, out var codeLength) != OperationStatus.Done)
            return false;
        var rest = multihash[codeLength..];
        if (UnsignedVarint.TryRead(rest, out var digestLength, out var lengthLength) != OperationStatus.Done)
            return false;
        if ((ulong)(rest.Length - lengthLength) != digestLength)
            return false;
        return code switch
        {
            IdentityCode => digestLength is > 0 and <= MaxInlineKeySize,
            Sha256Code => digestLength == Sha256.HashSize,
            _ => false,
        };
    }
}
