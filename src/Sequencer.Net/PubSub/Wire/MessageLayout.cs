using Sequencer.Core.Formats;

namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// Where the fields of one encoded pubsub Message lie, relative to its first byte, and which were present. A field
/// that occurs twice keeps its last value, as protobuf merges them (and as the verifier then re-encodes it).
/// </summary>
internal struct MessageLayout
{
    public MessageFieldFlags Present;
    public ByteRange From;
    public ByteRange Data;
    public ByteRange Seqno;
    public ByteRange Topic;
    public ByteRange Signature;
    public ByteRange Key;

    /// <summary>Reads the layout of <paramref name="encoded"/>; on failure <paramref name="errorPosition"/> says where.</summary>
    public static ProtobufError TryRead(ReadOnlySpan<byte> encoded, out MessageLayout layout, out int errorPosition)
    {
        layout = default;
        var reader = new ProtobufReader(encoded);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            var ok = field switch
            {
                RpcSchema.MessageFrom => layout.Read(ref reader, wireType, MessageFieldFlags.From, out layout.From),
                RpcSchema.MessageData => layout.Read(ref reader, wireType, MessageFieldFlags.Data, out layout.Data),
                RpcSchema.MessageSeqno => layout.Read(ref reader, wireType, MessageFieldFlags.Seqno, out layout.Seqno),
                RpcSchema.MessageTopic => layout.Read(ref reader, wireType, MessageFieldFlags.Topic, out layout.Topic),
                RpcSchema.MessageSignature => layout.Read(ref reader, wireType, MessageFieldFlags.Signature, out layout.Signature),
                RpcSchema.MessageKey => layout.Read(ref reader, wireType, MessageFieldFlags.Key, out layout.Key),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
                break;
        }
        errorPosition = reader.Position;
        return reader.Error;
    }

    private bool Read(ref ProtobufReader reader, ProtobufWireType wireType, MessageFieldFlags flag, out ByteRange range)
    {
        range = default;
        if (!reader.TryReadBytes(wireType, out var value))
            return false;
        Present |= flag;
        range = new ByteRange(reader.Position - value.Length, value.Length);
        return true;
    }

    /// <summary>The fields as slices of <paramref name="encoded"/> (the bytes this layout was read from).</summary>
    public readonly MessageFields Fields(ReadOnlySpan<byte> encoded) => new()
    {
        Present = Present,
        From = From.Of(encoded),
        Data = Data.Of(encoded),
        Seqno = Seqno.Of(encoded),
        Topic = Topic.Of(encoded),
        Signature = Signature.Of(encoded),
        Key = Key.Of(encoded),
    };
}
