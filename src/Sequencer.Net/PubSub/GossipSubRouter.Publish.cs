using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Sequencer.Core.Formats;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub;

// Publishing our own messages, forwarding accepted ones, and the send path every frame takes.
public sealed partial class GossipSubRouter
{
    /// <summary>Signatures longer than this are refused from a signer (DER ECDSA is at most 72 bytes).</summary>
    private const int MaxSignatureLength = 512;

    /// <summary>
    /// Publishes <paramref name="data"/> on <paramref name="topic"/>: under StrictSign signed with the node's key,
    /// with the next sequence number. With flood publishing (the default) it goes to every peer of the topic whose
    /// score is above the publish threshold; otherwise to the mesh, or to the fanout set when not subscribed. It is
    /// not delivered to our own handler.
    /// </summary>
    [SkipLocalsInit]
    public PublishResult Publish(string topic, ReadOnlySpan<byte> data)
    {
        var name = TopicName(topic);
        Span<byte> seqno = stackalloc byte[MessageAuthenticator.SeqnoLength];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            BinaryPrimitives.WriteUInt64BigEndian(seqno, _nextSeqno++);
        }
        var signed = _options.SignaturePolicy == SignaturePolicy.StrictSign;
        var unsigned = new MessageFields
        {
            Present = signed
                ? MessageFieldFlags.From | MessageFieldFlags.Data | MessageFieldFlags.Seqno | MessageFieldFlags.Topic
                : MessageFieldFlags.Data | MessageFieldFlags.Topic,
            From = signed ? _localPeerId : default,
            Data = data,
            Seqno = signed ? seqno : default,
            Topic = name,
        };

        byte[]? payload = null;
        byte[]? encoded = null;
        try
        {
            var message = unsigned;
            Span<byte> signature = stackalloc byte[MaxSignatureLength];
            if (signed)
            {
                if (_signer!.MaxSignatureLength > MaxSignatureLength)
                    throw new InvalidOperationException(
                        $"the signer's signatures can be {_signer.MaxSignatureLength} bytes, over {MaxSignatureLength}");
                if (MessageEncoder.GetSize(unsigned) > _options.MaxMessageSize)
                    return new PublishResult(PublishStatus.MessageTooLarge, 0, default);
                payload = ArrayPool<byte>.Shared.Rent(MessageEncoder.GetSignaturePayloadSize(unsigned));
                var payloadLength = MessageEncoder.WriteSignaturePayload(unsigned, payload);
                var signatureLength = _signer.Sign(payload.AsSpan(0, payloadLength), signature);
                message = unsigned with
                {
                    Present = unsigned.Present | MessageFieldFlags.Signature | MessageFieldFlags.Key,
                    Signature = signature[..signatureLength],
                    Key = _signer.PublicKey.Span,
                };
            }
            var size = MessageEncoder.GetSize(message);
            if (size > _options.MaxMessageSize)
                return new PublishResult(PublishStatus.MessageTooLarge, 0, default);
            encoded = ArrayPool<byte>.Shared.Rent(size);
            MessageEncoder.Write(message, encoded);
            var bytes = encoded.AsSpan(0, size);
            if (MessageLayout.TryRead(bytes, out var layout, out _) != ProtobufError.None)
                throw new InvalidOperationException("an encoded message does not decode");
            Span<byte> idBuffer = stackalloc byte[MessageIds.MaxLength];
            var idLength = _messageId(layout.Fields(bytes), idBuffer);
            if (idLength < 0)
                throw new InvalidOperationException(
                    "the message id function gives no id for our own messages (does it match the signature policy?)");
            var id = idBuffer[..idLength];
            return PublishEncoded(topic, name, bytes, layout, id);
        }
        finally
        {
            if (payload is not null)
                ArrayPool<byte>.Shared.Return(payload);
            if (encoded is not null)
                ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    private PublishResult PublishEncoded(string topic, ReadOnlySpan<byte> name, ReadOnlySpan<byte> encoded, in MessageLayout layout, ReadOnlySpan<byte> id)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _topicsByName.TryGetValue(name, out var state);
            var targets = PublishTargets(state);
            if (targets.Length == 0 && !_options.AllowPublishToZeroPeers)
                return new PublishResult(PublishStatus.NoPeers, 0, default);
            var message = PubSubMessage.Create(encoded, layout, id, state?.Name ?? topic, _localPeerId);
            _seen.TryAdd(id, DeliveryStatus.Valid);
            _cache.Put(message);
            foreach (var peer in targets)
                Send(peer, message.Frame);
            if (state?.Fanout is not null)
                state.FanoutLastPublished = _clock.Now;
            Counters.PublishedCount++;
            return new PublishResult(PublishStatus.Published, targets.Length, message.Id);
        }
    }

    /// <summary>Where our own message goes (into the peer scratch list).</summary>
    private ReadOnlySpan<PubSubPeer> PublishTargets(TopicState? topic)
    {
        _peerScratch.Clear();
        if (topic is null)
            return [];
        var threshold = _options.Thresholds.PublishThreshold;
        if (_options.FloodPublish)
        {
            foreach (var peer in topic.Peers)
                if (peer.IsDirect || ScoreOf(peer) >= threshold)
                    _peerScratch.Add(peer);
            return _peerScratch.AsSpan();
        }
        HashSet<PubSubPeer> peers;
        if (topic.Subscribed)
            peers = topic.Mesh;
        else
        {
            if (topic.Fanout is null)
            {
                topic.Fanout = [];
                foreach (var peer in SelectPeers(topic, _options.D, FanoutCandidate))
                    topic.Fanout.Add(peer);
            }
            peers = topic.Fanout;
        }
        foreach (var peer in peers)
            _peerScratch.Add(peer);
        foreach (var peer in topic.Peers)
            if (peer.IsDirect)
                _peerScratch.Add(peer);
        return _peerScratch.AsSpan();
    }

    /// <summary>Relays an accepted message to the mesh and the direct peers, except whoever already has it.</summary>
    private void Forward(TopicState topic, PubSubMessage message, PubSubPeer source)
    {
        var from = message.From.Span;
        foreach (var peer in topic.Mesh)
            if (WantsForwarded(peer, source, from, message.IdKey))
                Send(peer, message.Frame);
        foreach (var peer in topic.Peers)
            if (peer.IsDirect && WantsForwarded(peer, source, from, message.IdKey))
                Send(peer, message.Frame);
    }

    private static bool WantsForwarded(PubSubPeer peer, PubSubPeer source, ReadOnlySpan<byte> author, MessageIdKey id) =>
        peer != source
        && !peer.Id.AsSpan().SequenceEqual(author)
        && !(peer.DontWant?.ContainsKey(id) ?? false);

    /// <summary>IDONTWANT for a large message, sent at once (before validation) to mesh peers that speak 1.2.</summary>
    private void SendIDontWant(TopicState topic, PubSubMessage message, PubSubPeer source)
    {
        var frame = default(ReadOnlySpan<byte>);
        foreach (var peer in topic.Mesh)
        {
            if (peer == source || peer.Protocol != PubSubProtocol.MeshSub12)
                continue;
            if (frame.IsEmpty)
            {
                _controlScratch.Clear();
                _controlScratch.AddIDontWant(message.Id);
                frame = WriteFrame(_controlScratch);
                _controlScratch.Clear();
            }
            Send(peer, frame);
        }
    }

    /// <summary>Sends a peer's pending control (and IWANT answers) as one RPC.</summary>
    private void Flush(PubSubPeer peer)
    {
        if (peer.Outbox.IsEmpty)
            return;
        if (peer.IsConnected)
            Send(peer, WriteFrame(peer.Outbox));
        peer.Outbox.Clear();
    }

    private void FlushAll()
    {
        foreach (var peer in _peers.Values)
            Flush(peer);
    }

    /// <summary>Encodes a builder's RPC into the shared send buffer (valid until the next call).</summary>
    private ReadOnlySpan<byte> WriteFrame(RpcBuilder builder)
    {
        var size = builder.FrameSize;
        if (_sendBuffer.Length < size)
            _sendBuffer = new byte[Math.Max(size, _sendBuffer.Length * 2)];
        return _sendBuffer.AsSpan(0, builder.WriteFrame(_sendBuffer));
    }

    private void Send(PubSubPeer peer, ReadOnlySpan<byte> frame)
    {
        if (!peer.Link.TrySend(frame))
            Counters.DroppedFramesCount++;
    }

    /// <summary>Makes sure one more entry of <paramref name="size"/> bytes keeps the peer's pending RPC within the limit.</summary>
    private bool EnsureRoom(PubSubPeer peer, int size)
    {
        // 16 bytes cover the headers an entry adds around its content (field tags and lengths, nested message).
        if (peer.Outbox.RpcSize + size + 16 <= _options.MaxRpcSize)
            return false;
        Flush(peer);
        return true;
    }
}
