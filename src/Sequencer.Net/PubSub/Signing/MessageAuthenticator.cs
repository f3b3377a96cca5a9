using System.Buffers;
using System.Runtime.CompilerServices;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub.Signing;

/// <summary>
/// Applies a signature policy to a received message, as js-libp2p and go-libp2p do before any validator. The cheap
/// structural checks come first and apart from the signature check, so the router can drop duplicates (the common
/// case) before paying for a signature verification.
/// </summary>
internal static class MessageAuthenticator
{
    /// <summary>StrictSign sequence numbers are exactly 8 bytes (a big-endian uint64).</summary>
    public const int SeqnoLength = 8;

    private const int StackPayloadLimit = 1024;

    /// <summary>The fields the policy demands or forbids, without any cryptography.</summary>
    public static MessageRejection CheckStructure(SignaturePolicy policy, in MessageFields message)
    {
        if (!message.Has(MessageFieldFlags.Topic))
            return MessageRejection.MissingTopic;
        if (policy == SignaturePolicy.StrictNoSign)
        {
            const MessageFieldFlags authentication = MessageFieldFlags.From | MessageFieldFlags.Seqno
                | MessageFieldFlags.Signature | MessageFieldFlags.Key;
            return (message.Present & authentication) == 0 ? MessageRejection.None : MessageRejection.UnexpectedAuthentication;
        }
        if (!message.Has(MessageFieldFlags.From))
            return MessageRejection.MissingFrom;
        if (!message.Has(MessageFieldFlags.Seqno))
            return MessageRejection.MissingSeqno;
        if (message.Seqno.Length != SeqnoLength)
            return MessageRejection.InvalidSeqno;
        if (!message.Has(MessageFieldFlags.Signature))
            return MessageRejection.MissingSignature;
        return MessageRejection.None;
    }

    /// <summary>
    /// Verifies a StrictSign message that passed <see cref="CheckStructure"/>: its signature over
    /// <c>"libp2p-pubsub:" ‖ protobuf(message without signature and key)</c>, by the key of its <c>from</c>.
    /// </summary>
    [SkipLocalsInit]
    public static MessageRejection VerifySignature(IPubSubSignatureVerifier verifier, in MessageFields message)
    {
        var size = MessageEncoder.GetSignaturePayloadSize(message);
        byte[]? rented = null;
        var payload = size <= StackPayloadLimit
            ? stackalloc byte[StackPayloadLimit]
            : rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var written = MessageEncoder.WriteSignaturePayload(message, payload);
            var key = message.Has(MessageFieldFlags.Key) ? message.Key : default;
            return verifier.Verify(message.From, key, payload[..written], message.Signature) switch
            {
                SignatureCheck.Valid => MessageRejection.None,
                SignatureCheck.InvalidPeerId => MessageRejection.InvalidPeerId,
                SignatureCheck.InvalidKey => MessageRejection.InvalidKey,
                SignatureCheck.KeyMismatch => MessageRejection.KeyMismatch,
                _ => MessageRejection.InvalidSignature,
            };
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
