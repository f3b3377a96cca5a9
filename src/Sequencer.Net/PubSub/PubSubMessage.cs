using System.Buffers.Binary;
using Sequencer.Core.Formats;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub;

/// <summary>
/// One pubsub message as validators and subscribers see it. It owns a copy of its bytes (taken once, when the
/// message is first seen), so it may be kept after the handler returns. The same buffer holds the ready-made RPC
/// frame that forwards it: relaying a message to its mesh peers copies nothing on the router's side.
/// </summary>
public sealed class PubSubMessage
{
    // Layout of _buffer: [ uvarint(rpc length) ‖ 0x12 ‖ uvarint(message length) | encoded Message | message id ].
    private readonly byte[] _buffer;
    private readonly int _messageStart;
    private readonly int _messageLength;
    private readonly int _idLength;
    private readonly MessageLayout _layout;

    private PubSubMessage(
        byte[] buffer, int messageStart, int messageLength, int idLength, MessageLayout layout, string topic,
        ReadOnlyMemory<byte> receivedFrom)
    {
        _buffer = buffer;
        _messageStart = messageStart;
        _messageLength = messageLength;
        _idLength = idLength;
        _layout = layout;
        Topic = topic;
        ReceivedFrom = receivedFrom;
    }

    public string Topic { get; }

    public ReadOnlyMemory<byte> Data => Field(MessageFieldFlags.Data, _layout.Data);

    /// <summary>The author's peer id (StrictSign); empty under StrictNoSign.</summary>
    public ReadOnlyMemory<byte> From => Field(MessageFieldFlags.From, _layout.From);

    /// <summary>The raw sequence number (8 bytes under StrictSign); empty under StrictNoSign.</summary>
    public ReadOnlyMemory<byte> Seqno => Field(MessageFieldFlags.Seqno, _layout.Seqno);

    /// <summary>The sequence number as the big-endian integer js and go write, when it is 8 bytes.</summary>
    public ulong? SequenceNumber => _layout.Seqno.Length == 8 && (_layout.Present & MessageFieldFlags.Seqno) != 0
        ? BinaryPrimitives.ReadUInt64BigEndian(Seqno.Span)
        : null;

    public ReadOnlyMemory<byte> Signature => Field(MessageFieldFlags.Signature, _layout.Signature);

    public ReadOnlyMemory<byte> Key => Field(MessageFieldFlags.Key, _layout.Key);

    /// <summary>The message id under the router's id function.</summary>
    public ReadOnlyMemory<byte> Id => _buffer.AsMemory(_messageStart + _messageLength, _idLength);

    /// <summary>The peer this message came from (the local peer id for messages published here).</summary>
    public ReadOnlyMemory<byte> ReceivedFrom { get; }

    /// <summary>The encoded protobuf Message, as received.</summary>
    public ReadOnlyMemory<byte> Encoded => _buffer.AsMemory(_messageStart, _messageLength);

    /// <summary>An RPC frame whose only content is this message.</summary>
    internal ReadOnlySpan<byte> Frame => _buffer.AsSpan(0, _messageStart + _messageLength);

    internal MessageFields Fields => _layout.Fields(Encoded.Span);

    /// <summary>The id as a table key (over <see cref="Id"/>'s bytes in this message's buffer).</summary>
    internal MessageIdKey IdKey { get; private init; }

    /// <summary>Peers other than the first that delivered it while it was validating (scored once it is decided).</summary>
    internal List<PubSubPeer>? LateDeliverers { get; set; }

    /// <summary>How often each peer was sent this message in answer to IWANT (gossip retransmission limit).</summary>
    internal Dictionary<PubSubPeer, int>? Retransmissions { get; set; }

    /// <summary>Copies <paramref name="encoded"/> (a Message whose fields <paramref name="layout"/> locates) and its id.</summary>
    internal static PubSubMessage Create(
        ReadOnlySpan<byte> encoded, in MessageLayout layout, ReadOnlySpan<byte> id, string topic,
        ReadOnlyMemory<byte> receivedFrom)
    {
        var rpcLength = ProtobufWriter.GetBytesFieldSize(RpcSchema.RpcPublish, encoded.Length);
        var messageStart = RpcFrame.GetFrameSize(rpcLength) - encoded.Length;
        var buffer = new byte[messageStart + encoded.Length + id.Length];
        var prefix = RpcFrame.WritePrefix(rpcLength, buffer);
        var writer = new ProtobufWriter(buffer.AsSpan(prefix));
        writer.WriteBytesField(RpcSchema.RpcPublish, encoded);
        id.CopyTo(buffer.AsSpan(messageStart + encoded.Length));
        return new PubSubMessage(buffer, messageStart, encoded.Length, id.Length, layout, topic, receivedFrom)
        {
            IdKey = new MessageIdKey(buffer.AsMemory(messageStart + encoded.Length, id.Length)),
        };
    }

    private ReadOnlyMemory<byte> Field(MessageFieldFlags flag, ByteRange range) =>
        (_layout.Present & flag) != 0 ? _buffer.AsMemory(_messageStart + range.Start, range.Length) : default;
}
