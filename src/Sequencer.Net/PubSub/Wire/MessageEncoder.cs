using Sequencer.Core.Formats;

namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// Encodes a pubsub Message canonically: present fields in field-number order (from, data, seqno, topic, signature,
/// key), as js-libp2p and go-libp2p write them. The StrictSign signature covers this encoding of the message without
/// signature and key, so signer and verifier must both produce exactly these bytes.
/// </summary>
public static class MessageEncoder
{
    /// <summary>The prefix of every StrictSign signature payload.</summary>
    public static ReadOnlySpan<byte> SignaturePrefix => "libp2p-pubsub:"u8;

    public static int GetSize(in MessageFields message)
    {
        var size = 0;
        if (message.Has(MessageFieldFlags.From))
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.MessageFrom, message.From.Length);
        if (message.Has(MessageFieldFlags.Data))
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.MessageData, message.Data.Length);
        if (message.Has(MessageFieldFlags.Seqno))
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.MessageSeqno, message.Seqno.Length);
        if (message.Has(MessageFieldFlags.Topic))
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.MessageTopic, message.Topic.Length);
        if (message.Has(MessageFieldFlags.Signature))
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.MessageSignature, message.Signature.Length);
        if (message.Has(MessageFieldFlags.Key))
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.MessageKey, message.Key.Length);
        return size;
    }

    /// <summary>Writes the message into <paramref name="destination"/> (at least <see cref="GetSize"/> bytes); returns its size.</summary>
    public static int Write(in MessageFields message, Span<byte> destination)
    {
        var writer = new ProtobufWriter(destination);
        if (message.Has(MessageFieldFlags.From))
            writer.WriteBytesField(RpcSchema.MessageFrom, message.From);
        if (message.Has(MessageFieldFlags.Data))
            writer.WriteBytesField(RpcSchema.MessageData, message.Data);
        if (message.Has(MessageFieldFlags.Seqno))
            writer.WriteBytesField(RpcSchema.MessageSeqno, message.Seqno);
        if (message.Has(MessageFieldFlags.Topic))
            writer.WriteBytesField(RpcSchema.MessageTopic, message.Topic);
        if (message.Has(MessageFieldFlags.Signature))
            writer.WriteBytesField(RpcSchema.MessageSignature, message.Signature);
        if (message.Has(MessageFieldFlags.Key))
            writer.WriteBytesField(RpcSchema.MessageKey, message.Key);
        return writer.Written;
    }

    /// <summary>Size of <c>"libp2p-pubsub:" ‖ protobuf(message without signature and key)</c>.</summary>
    public static int GetSignaturePayloadSize(in MessageFields message) =>
        SignaturePrefix.Length + GetSize(message.WithoutAuthentication());

    /// <summary>Writes the StrictSign signature payload; returns its size.</summary>
    public static int WriteSignaturePayload(in MessageFields message, Span<byte> destination)
    {
        SignaturePrefix.CopyTo(destination);
        return SignaturePrefix.Length + Write(message.WithoutAuthentication(), destination[SignaturePrefix.Length..]);
    }
}
