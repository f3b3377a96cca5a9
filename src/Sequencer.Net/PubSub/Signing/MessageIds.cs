using System.Buffers;
using Sequencer.Core.Crypto;
using Sequencer.Core.Formats;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub.Signing;

/// <summary>The message id functions of js-libp2p and go-libp2p.</summary>
public static class MessageIds
{
    /// <summary>The room the router gives an id; an id function must fit in it.</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// js-libp2p's StrictSign id: <c>protobuf(author public key) ‖ seqno</c>. js takes the key from the author's peer
    /// id when the id inlines it (Ed25519, secp256k1) and from the message's <c>key</c> otherwise.
    /// </summary>
    public static MessageIdFunction JsStrictSign { get; } = AuthorKeyAndSeqno;

    /// <summary>js-libp2p's StrictNoSign id: <c>sha256(data)</c>.</summary>
    public static MessageIdFunction JsStrictNoSign { get; } = Sha256OfData;

    /// <summary>go-libp2p's default id: <c>from ‖ seqno</c>.</summary>
    public static MessageIdFunction Go { get; } = FromAndSeqno;

    /// <summary>js-libp2p's default for a policy (what a js node computes unless configured otherwise).</summary>
    public static MessageIdFunction JsDefault(SignaturePolicy policy) =>
        policy == SignaturePolicy.StrictSign ? JsStrictSign : JsStrictNoSign;

    private static int AuthorKeyAndSeqno(in MessageFields message, Span<byte> destination)
    {
        if (!message.Has(MessageFieldFlags.Seqno))
            return -1;
        var key = TryGetInlinedKey(message.From, out var inlined) ? inlined
            : message.Has(MessageFieldFlags.Key) ? message.Key
            : default;
        if (key.IsEmpty)
            return -1;
        return Concatenate(key, message.Seqno, destination);
    }

    private static int FromAndSeqno(in MessageFields message, Span<byte> destination) =>
        message.Has(MessageFieldFlags.From | MessageFieldFlags.Seqno)
            ? Concatenate(message.From, message.Seqno, destination)
            : -1;

    private static int Sha256OfData(in MessageFields message, Span<byte> destination)
    {
        if (destination.Length < Sha256.HashSize)
            return -1;
        Sha256.Hash(message.Data, destination);
        return Sha256.HashSize;
    }

    private static int Concatenate(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        if (first.Length + second.Length > destination.Length)
            return -1;
        first.CopyTo(destination);
        second.CopyTo(destination[first.Length..]);
        return first.Length + second.Length;
    }

    /// <summary>
    /// The public key protobuf inside a peer id that is an identity multihash (<c>0x00 ‖ uvarint(length) ‖ key</c>),
    /// which is how libp2p writes peer ids of keys up to 42 bytes.
    /// </summary>
    internal static bool TryGetInlinedKey(ReadOnlySpan<byte> peerId, out ReadOnlySpan<byte> key)
    {
        key = default;
        if (peerId.Length < 2 || peerId[0] != 0x00)
            return false;
        if (UnsignedVarint.TryRead(peerId[1..], out var length, out var consumed) != OperationStatus.Done)
            return false;
        if (length == 0 || length != (ulong)(peerId.Length - 1 - consumed))
            return false;
        key = peerId[(1 + consumed)..];
        return true;
    }
}
