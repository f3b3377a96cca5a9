using Sequencer.Core.Formats;

namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// Collects what one RPC to one peer will carry and encodes it as a frame (<c>uvarint(length) ‖ RPC</c>). Entries
/// reference bytes that must stay valid until <see cref="WriteFrame"/>; messages are added already encoded, so a
/// forwarded message is copied verbatim. All IWANT ids go into one ControlIWant and all IDONTWANT ids into one
/// ControlIDontWant. The builder is reused: after <see cref="Clear"/> it allocates nothing.
/// </summary>
internal sealed class RpcBuilder
{
    private readonly ReusableList<(bool Subscribe, ReadOnlyMemory<byte> Topic)> _subscriptions = new();
    private readonly ReusableList<ReadOnlyMemory<byte>> _messages = new();
    private readonly ReusableList<(ReadOnlyMemory<byte> Topic, int FirstId, int IdCount, int Size)> _ihaves = new();
    private readonly ReusableList<ReadOnlyMemory<byte>> _ihaveIds = new();
    private readonly ReusableList<ReadOnlyMemory<byte>> _iwantIds = new();
    private readonly ReusableList<ReadOnlyMemory<byte>> _grafts = new();
    private readonly ReusableList<(ReadOnlyMemory<byte> Topic, ulong? BackoffSeconds, int FirstPeer, int PeerCount, int Size)> _prunes = new();
    private readonly ReusableList<(ReadOnlyMemory<byte> PeerId, ReadOnlyMemory<byte> SignedPeerRecord)> _prunePeers = new();
    private readonly ReusableList<ReadOnlyMemory<byte>> _idontwantIds = new();

    // Sizes are kept as entries are added, so building an RPC of n entries costs O(n) even for 5000 IHAVE ids.
    // Sizes of nested messages (IHAVE, PRUNE) live with their entries; the rest are running totals.
    private int _subscriptionsSize;
    private int _messagesSize;
    private int _iwantSize;
    private int _graftsSize;
    private int _idontwantSize;

    public bool IsEmpty => _subscriptions.Count + _messages.Count == 0 && ControlSize() == 0;

    /// <summary>Size of the RPC body so far (without the frame's length prefix).</summary>
    public int RpcSize
    {
        get
        {
            var control = ControlSize();
            return _subscriptionsSize + _messagesSize
                + (control > 0 ? ProtobufWriter.GetBytesFieldSize(RpcSchema.RpcControl, control) : 0);
        }
    }

    public int MessageCount => _messages.Count;

    public void Clear()
    {
        _subscriptions.Clear();
        _messages.Clear();
        _ihaves.Clear();
        _ihaveIds.Clear();
        _iwantIds.Clear();
        _grafts.Clear();
        _prunes.Clear();
        _prunePeers.Clear();
        _idontwantIds.Clear();
        _subscriptionsSize = _messagesSize = _iwantSize = _graftsSize = _idontwantSize = 0;
    }

    public void AddSubscription(bool subscribe, ReadOnlyMemory<byte> topic)
    {
        _subscriptions.Add((subscribe, topic));
        _subscriptionsSize += ProtobufWriter.GetBytesFieldSize(RpcSchema.RpcSubscriptions, SubscriptionSize(subscribe, topic));
    }

    /// <summary>Adds an encoded Message (the bytes of the Message itself, without a field header).</summary>
    public void AddMessage(ReadOnlyMemory<byte> encodedMessage)
    {
        _messages.Add(encodedMessage);
        _messagesSize += ProtobufWriter.GetBytesFieldSize(RpcSchema.RpcPublish, encodedMessage.Length);
    }

    /// <summary>Size the RPC would have with one more message of <paramref name="encodedLength"/> bytes.</summary>
    public int RpcSizeWithMessage(int encodedLength) =>
        RpcSize + ProtobufWriter.GetBytesFieldSize(RpcSchema.RpcPublish, encodedLength);

    /// <summary>Starts an IHAVE entry; its ids follow through <see cref="AddIHaveId"/>.</summary>
    public void AddIHave(ReadOnlyMemory<byte> topic) =>
        _ihaves.Add((topic, _ihaveIds.Count, 0, ProtobufWriter.GetBytesFieldSize(RpcSchema.IHaveTopic, topic.Length)));

    public void AddIHaveId(ReadOnlyMemory<byte> messageId)
    {
        if (_ihaves.Count == 0)
            throw new InvalidOperationException("an IHAVE id needs an IHAVE entry first");
        _ihaveIds.Add(messageId);
        ref var entry = ref _ihaves[_ihaves.Count - 1];
        entry.IdCount++;
        entry.Size += ProtobufWriter.GetBytesFieldSize(RpcSchema.IHaveMessageIds, messageId.Length);
    }

    public void AddIWant(ReadOnlyMemory<byte> messageId)
    {
        _iwantIds.Add(messageId);
        _iwantSize += ProtobufWriter.GetBytesFieldSize(RpcSchema.IWantMessageIds, messageId.Length);
    }

    public void AddGraft(ReadOnlyMemory<byte> topic)
    {
        _grafts.Add(topic);
        _graftsSize += ProtobufWriter.GetBytesFieldSize(
            RpcSchema.ControlGraft, ProtobufWriter.GetBytesFieldSize(RpcSchema.GraftTopic, topic.Length));
    }

    /// <summary>A PRUNE; <paramref name="backoffSeconds"/> is omitted for v1.0 peers, which do not know the field.</summary>
    public void AddPrune(ReadOnlyMemory<byte> topic, ulong? backoffSeconds)
    {
        var size = ProtobufWriter.GetBytesFieldSize(RpcSchema.PruneTopic, topic.Length)
            + (backoffSeconds is { } seconds ? ProtobufWriter.GetVarintFieldSize(RpcSchema.PruneBackoff, seconds) : 0);
        _prunes.Add((topic, backoffSeconds, _prunePeers.Count, 0, size));
    }

    /// <summary>Adds a peer-exchange record to the last PRUNE.</summary>
    public void AddPrunePeer(ReadOnlyMemory<byte> peerId, ReadOnlyMemory<byte> signedPeerRecord)
    {
        if (_prunes.Count == 0)
            throw new InvalidOperationException("a PX record needs a PRUNE entry first");
        _prunePeers.Add((peerId, signedPeerRecord));
        ref var entry = ref _prunes[_prunes.Count - 1];
        entry.PeerCount++;
        entry.Size += ProtobufWriter.GetBytesFieldSize(RpcSchema.PrunePeers, PeerInfoSize(peerId, signedPeerRecord));
    }

    public void AddIDontWant(ReadOnlyMemory<byte> messageId)
    {
        _idontwantIds.Add(messageId);
        _idontwantSize += ProtobufWriter.GetBytesFieldSize(RpcSchema.IDontWantMessageIds, messageId.Length);
    }

    public int FrameSize => RpcFrame.GetFrameSize(RpcSize);

    /// <summary>Writes the frame into <paramref name="destination"/> (at least <see cref="FrameSize"/> bytes); returns its size.</summary>
    public int WriteFrame(Span<byte> destination)
    {
        var rpcSize = RpcSize;
        var prefix = RpcFrame.WritePrefix(rpcSize, destination);
        var writer = new ProtobufWriter(destination[prefix..]);
        foreach (var (subscribe, topic) in _subscriptions.AsSpan())
        {
            writer.WriteBytesFieldHeader(RpcSchema.RpcSubscriptions, SubscriptionSize(subscribe, topic));
            if (subscribe)
                writer.WriteVarintField(RpcSchema.SubOptsSubscribe, 1);
            writer.WriteBytesField(RpcSchema.SubOptsTopic, topic.Span);
        }
        foreach (var message in _messages.AsSpan())
            writer.WriteBytesField(RpcSchema.RpcPublish, message.Span);
        var controlSize = ControlSize();
        if (controlSize > 0)
        {
            writer.WriteBytesFieldHeader(RpcSchema.RpcControl, controlSize);
            WriteControl(ref writer);
        }
        if (writer.Written != rpcSize)
            throw new InvalidOperationException($"RPC size mismatch: computed {rpcSize}, wrote {writer.Written}");
        return prefix + writer.Written;
    }

    private void WriteControl(ref ProtobufWriter writer)
    {
        foreach (var (topic, firstId, idCount, size) in _ihaves.AsSpan())
        {
            writer.WriteBytesFieldHeader(RpcSchema.ControlIHave, size);
            writer.WriteBytesField(RpcSchema.IHaveTopic, topic.Span);
            foreach (var id in _ihaveIds.AsSpan().Slice(firstId, idCount))
                writer.WriteBytesField(RpcSchema.IHaveMessageIds, id.Span);
        }
        if (_iwantIds.Count > 0)
        {
            writer.WriteBytesFieldHeader(RpcSchema.ControlIWant, _iwantSize);
            foreach (var id in _iwantIds.AsSpan())
                writer.WriteBytesField(RpcSchema.IWantMessageIds, id.Span);
        }
        foreach (var topic in _grafts.AsSpan())
        {
            writer.WriteBytesFieldHeader(RpcSchema.ControlGraft, ProtobufWriter.GetBytesFieldSize(RpcSchema.GraftTopic, topic.Length));
            writer.WriteBytesField(RpcSchema.GraftTopic, topic.Span);
        }
        foreach (var (topic, backoff, firstPeer, peerCount, size) in _prunes.AsSpan())
        {
            writer.WriteBytesFieldHeader(RpcSchema.ControlPrune, size);
            writer.WriteBytesField(RpcSchema.PruneTopic, topic.Span);
            foreach (var (peerId, record) in _prunePeers.AsSpan().Slice(firstPeer, peerCount))
            {
                writer.WriteBytesFieldHeader(RpcSchema.PrunePeers, PeerInfoSize(peerId, record));
                writer.WriteBytesField(RpcSchema.PeerInfoPeerId, peerId.Span);
                if (!record.IsEmpty)
                    writer.WriteBytesField(RpcSchema.PeerInfoSignedPeerRecord, record.Span);
            }
            if (backoff is { } seconds)
                writer.WriteVarintField(RpcSchema.PruneBackoff, seconds);
        }
        if (_idontwantIds.Count > 0)
        {
            writer.WriteBytesFieldHeader(RpcSchema.ControlIDontWant, _idontwantSize);
            foreach (var id in _idontwantIds.AsSpan())
                writer.WriteBytesField(RpcSchema.IDontWantMessageIds, id.Span);
        }
    }

    private static int SubscriptionSize(bool subscribe, ReadOnlyMemory<byte> topic) =>
        (subscribe ? ProtobufWriter.GetVarintFieldSize(RpcSchema.SubOptsSubscribe, 1) : 0)
        + ProtobufWriter.GetBytesFieldSize(RpcSchema.SubOptsTopic, topic.Length);

    private int ControlSize()
    {
        var size = _graftsSize;
        foreach (var ihave in _ihaves.AsSpan())
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.ControlIHave, ihave.Size);
        if (_iwantIds.Count > 0)
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.ControlIWant, _iwantSize);
        foreach (var prune in _prunes.AsSpan())
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.ControlPrune, prune.Size);
        if (_idontwantIds.Count > 0)
            size += ProtobufWriter.GetBytesFieldSize(RpcSchema.ControlIDontWant, _idontwantSize);
        return size;
    }

    private static int PeerInfoSize(ReadOnlyMemory<byte> peerId, ReadOnlyMemory<byte> record) =>
        ProtobufWriter.GetBytesFieldSize(RpcSchema.PeerInfoPeerId, peerId.Length)
        + (record.IsEmpty ? 0 : ProtobufWriter.GetBytesFieldSize(RpcSchema.PeerInfoSignedPeerRecord, record.Length));
}
