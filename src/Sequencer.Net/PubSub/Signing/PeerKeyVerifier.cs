using System.Collections.Concurrent;
using Sequencer.Core.Identity;

namespace Sequencer.Net.PubSub.Signing;

/// <summary>
/// StrictSign verification with libp2p identity keys, as js-libp2p checks it: <c>from</c> must be a peer id; the
/// message's <c>key</c>, when present, must decode to a supported key whose peer id is <c>from</c>; without it the
/// key inlined in <c>from</c> is used; then the signature must verify under that key.
/// <para>
/// Authors are few (the validators) and sign many messages, so the decoded key of each author is kept: a message
/// from a known author costs one signature verification and no allocation. The cache only ever holds keys proven
/// to belong to their peer id, and is bounded (emptied when full) so that made-up authors cannot grow it.
/// </para>
/// </summary>
public sealed class PeerKeyVerifier : IPubSubSignatureVerifier
{
    private const int MaxCachedAuthors = 4096;

    private readonly ConcurrentDictionary<byte[], Author> _authors = new(ByteKeyComparer.Instance);

    public SignatureCheck Verify(
        ReadOnlySpan<byte> from, ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        var cached = _authors.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(from, out var author)
            && (key.IsEmpty || key.SequenceEqual(author.KeyProtobuf));
        if (!cached)
        {
            var check = Resolve(from, key, out author);
            if (check != SignatureCheck.Valid)
                return check;
            if (_authors.Count >= MaxCachedAuthors)
                _authors.Clear();
            _authors[from.ToArray()] = author;
        }
        return author.Key.Verify(payload, signature) ? SignatureCheck.Valid : SignatureCheck.InvalidSignature;
    }

    private static SignatureCheck Resolve(ReadOnlySpan<byte> from, ReadOnlySpan<byte> key, out Author author)
    {
        author = default;
        if (!PeerId.TryFromBytes(from, out var peerId))
            return SignatureCheck.InvalidPeerId;
        PeerPublicKey? publicKey;
        if (!key.IsEmpty)
        {
            if (PeerPublicKey.TryDecodeProtobuf(key, out publicKey) != IdentityError.None)
                return SignatureCheck.InvalidKey;
            if (publicKey!.ToPeerId() != peerId)
                return SignatureCheck.KeyMismatch;
        }
        else if (!peerId.TryGetPublicKey(out publicKey))
            return SignatureCheck.InvalidKey;
        author = new Author(key.IsEmpty ? publicKey.ToProtobuf() : key.ToArray(), publicKey);
        return SignatureCheck.Valid;
    }

    /// <summary>An author's key, with the protobuf bytes its messages carry.</summary>
    private readonly record struct Author(byte[] KeyProtobuf, PeerPublicKey Key);
}
