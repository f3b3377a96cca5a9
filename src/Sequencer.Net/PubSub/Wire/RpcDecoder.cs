using Sequencer.Core.Formats;

namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// Decodes one pubsub RPC into offsets of its fields. The whole RPC is checked before anything is returned, so the
/// router never acts on half of a malformed RPC. One decoder serves one peer's stream (frames of a stream are
/// handled one at a time) and keeps its lists between RPCs: decoding allocates nothing once they have grown.
/// </summary>
internal sealed class RpcDecoder
{
    private RpcLimits _limits = RpcLimits.Default;
    private RpcError _nestedError;

    /// <summary>The RPC last decoded; every <see cref="ByteRange"/> below points into it.</summary>
    public ReadOnlyMemory<byte> Source { get; private set; }

    public ReusableList<RpcSubscription> Subscriptions { get; } = new();
    public ReusableList<RpcMessage> Messages { get; } = new();
    public ReusableList<RpcIHave> IHaves { get; } = new();
    public ReusableList<ByteRange> IHaveIds { get; } = new();
    /// <summary>The ids of every IWANT entry of the RPC, in order (one IWANT or several mean the same).</summary>
    public ReusableList<ByteRange> IWantIds { get; } = new();
    public ReusableList<ByteRange> Grafts { get; } = new();
    public ReusableList<RpcPrune> Prunes { get; } = new();
    public ReusableList<RpcPeerInfo> PrunePeers { get; } = new();
    public ReusableList<ByteRange> IDontWantIds { get; } = new();

    /// <summary>Well-formed entries left out because a limit of <see cref="RpcLimits"/> was reached.</summary>
    public int DroppedEntries { get; private set; }

    /// <summary>Where in the RPC the error of the last <see cref="Decode"/> was found.</summary>
    public int ErrorOffset { get; private set; }

    public bool HasControl => IHaves.Count + IWantIds.Count + Grafts.Count + Prunes.Count + IDontWantIds.Count > 0;

    /// <summary>Decodes <paramref name="rpc"/>; on an error the lists hold whatever was read before it and must be ignored.</summary>
    public RpcError Decode(ReadOnlyMemory<byte> rpc, RpcLimits limits)
    {
        Reset();
        Source = rpc;
        _limits = limits;
        var reader = new ProtobufReader(rpc.Span);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            var ok = field switch
            {
                RpcSchema.RpcSubscriptions => TryReadNested(ref reader, wireType, out var start, out var length)
                    && ReadSubscription(start, length),
                RpcSchema.RpcPublish => TryReadNested(ref reader, wireType, out var start, out var length)
                    && ReadMessage(start, length),
                RpcSchema.RpcControl => TryReadNested(ref reader, wireType, out var start, out var length)
                    && ReadControl(start, length),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
                break;
        }
        return Finish(ref reader, 0);
    }

    private void Reset()
    {
        Subscriptions.Clear();
        Messages.Clear();
        IHaves.Clear();
        IHaveIds.Clear();
        IWantIds.Clear();
        Grafts.Clear();
        Prunes.Clear();
        PrunePeers.Clear();
        IDontWantIds.Clear();
        DroppedEntries = 0;
        ErrorOffset = 0;
        _nestedError = RpcError.None;
    }

    /// <summary>Turns the state of the top-level reader that stopped into the decode result.</summary>
    private RpcError Finish(ref ProtobufReader reader, int baseOffset)
    {
        if (_nestedError != RpcError.None)
            return _nestedError;
        if (reader.Error == ProtobufError.None)
            return RpcError.None;
        ErrorOffset = baseOffset + reader.Position;
        return Map(reader.Error);
    }

    private static RpcError Map(ProtobufError error) => error switch
    {
        ProtobufError.Truncated => RpcError.Truncated,
        ProtobufError.MalformedVarint => RpcError.MalformedVarint,
        ProtobufError.InvalidTag => RpcError.InvalidTag,
        ProtobufError.WrongWireType => RpcError.WrongWireType,
        _ => RpcError.LengthOutOfRange,
    };

    /// <summary>Reads a length-delimited field and reports where its content lies in <see cref="Source"/>.</summary>
    private static bool TryReadNested(ref ProtobufReader reader, ProtobufWireType wireType, out int start, out int length)
    {
        start = length = 0;
        if (!reader.TryReadBytes(wireType, out var content))
            return false;
        length = content.Length;
        start = reader.Position - length;
        return true;
    }

    private bool ReadRange(ref ProtobufReader reader, ProtobufWireType wireType, int baseOffset, out ByteRange range)
    {
        var ok = TryReadNested(ref reader, wireType, out var start, out var length);
        range = new ByteRange(baseOffset + start, length);
        return ok;
    }

    /// <summary>
    /// Ends a nested message: false when it, or a message nested in it, failed. The first failure is kept with its
    /// absolute offset; every enclosing level then stops as well.
    /// </summary>
    private bool Nested(ref ProtobufReader reader, int baseOffset)
    {
        if (_nestedError != RpcError.None)
            return false;
        if (reader.Error == ProtobufError.None)
            return true;
        _nestedError = Map(reader.Error);
        ErrorOffset = baseOffset + reader.Position;
        return false;
    }

    /// <summary>
    /// Ends a nested entry as <see cref="Nested"/> does and, when it was well formed, keeps it in
    /// <paramref name="list"/> or counts it dropped.
    /// </summary>
    private bool EndEntry<T>(ref ProtobufReader reader, int baseOffset, ReusableList<T> list, in T entry, bool keep)
    {
        if (!Nested(ref reader, baseOffset))
            return false;
        KeepOrDrop(list, entry, keep);
        return true;
    }

    /// <summary>Adds a well-formed entry when <paramref name="keep"/> (a limit not yet reached), else counts it dropped.</summary>
    private bool KeepOrDrop<T>(ReusableList<T> list, in T entry, bool keep)
    {
        if (keep)
            list.Add(entry);
        else
            DroppedEntries++;
        return keep;
    }

    private bool ReadSubscription(int start, int length)
    {
        var reader = new ProtobufReader(Source.Span.Slice(start, length));
        var entry = default(RpcSubscription);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            var ok = field switch
            {
                RpcSchema.SubOptsSubscribe => ReadBool(ref reader, wireType, out entry.Subscribe),
                RpcSchema.SubOptsTopic => ReadRange(ref reader, wireType, start, out entry.Topic),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
                break;
        }
        return EndEntry(ref reader, start, Subscriptions, entry, Subscriptions.Count < _limits.MaxSubscriptions);
    }

    private static bool ReadBool(ref ProtobufReader reader, ProtobufWireType wireType, out bool value)
    {
        var ok = reader.TryReadVarint(wireType, out var raw);
        value = raw != 0;
        return ok;
    }

    private bool ReadMessage(int start, int length)
    {
        var error = MessageLayout.TryRead(Source.Span.Slice(start, length), out var layout, out var position);
        if (error != ProtobufError.None)
        {
            _nestedError = Map(error);
            ErrorOffset = start + position;
            return false;
        }
        KeepOrDrop(Messages, new RpcMessage { Encoded = new ByteRange(start, length), Layout = layout },
            Messages.Count < _limits.MaxMessages);
        return true;
    }

    private bool ReadControl(int start, int length)
    {
        var reader = new ProtobufReader(Source.Span.Slice(start, length));
        while (reader.TryReadTag(out var field, out var wireType))
        {
            var ok = field switch
            {
                RpcSchema.ControlIHave => TryReadNested(ref reader, wireType, out var s, out var l) && ReadIHave(start + s, l),
                RpcSchema.ControlIWant => TryReadNested(ref reader, wireType, out var s, out var l)
                    && ReadIdList(start + s, l, RpcSchema.IWantMessageIds, IWantIds, _limits.MaxIWantIds),
                RpcSchema.ControlGraft => TryReadNested(ref reader, wireType, out var s, out var l) && ReadGraft(start + s, l),
                RpcSchema.ControlPrune => TryReadNested(ref reader, wireType, out var s, out var l) && ReadPrune(start + s, l),
                RpcSchema.ControlIDontWant => TryReadNested(ref reader, wireType, out var s, out var l)
                    && ReadIdList(start + s, l, RpcSchema.IDontWantMessageIds, IDontWantIds, _limits.MaxIDontWantIds),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
                break;
        }
        return Nested(ref reader, start);
    }

    private bool ReadIHave(int start, int length)
    {
        var reader = new ProtobufReader(Source.Span.Slice(start, length));
        var entry = new RpcIHave { FirstId = IHaveIds.Count };
        var keep = IHaves.Count < _limits.MaxControlEntries;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            bool ok;
            switch (field)
            {
                case RpcSchema.IHaveTopic:
                    ok = ReadRange(ref reader, wireType, start, out entry.Topic);
                    break;
                case RpcSchema.IHaveMessageIds:
                    ok = ReadRange(ref reader, wireType, start, out var id);
                    if (ok && KeepOrDrop(IHaveIds, id, keep && IHaveIds.Count < _limits.MaxIHaveIds))
                        entry.IdCount++;
                    break;
                default:
                    ok = reader.TrySkip(wireType);
                    break;
            }
            if (!ok)
                break;
        }
        return EndEntry(ref reader, start, IHaves, entry, keep);
    }

    private bool ReadIdList(int start, int length, int idField, ReusableList<ByteRange> ids, int maxIds)
    {
        var reader = new ProtobufReader(Source.Span.Slice(start, length));
        while (reader.TryReadTag(out var field, out var wireType))
        {
            bool ok;
            if (field == idField)
            {
                ok = ReadRange(ref reader, wireType, start, out var id);
                if (ok)
                    KeepOrDrop(ids, id, ids.Count < maxIds);
            }
            else
                ok = reader.TrySkip(wireType);
            if (!ok)
                break;
        }
        return Nested(ref reader, start);
    }

    private bool ReadGraft(int start, int length)
    {
        var reader = new ProtobufReader(Source.Span.Slice(start, length));
        var topic = default(ByteRange);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            var ok = field == RpcSchema.GraftTopic
                ? ReadRange(ref reader, wireType, start, out topic)
                : reader.TrySkip(wireType);
            if (!ok)
                break;
        }
        return EndEntry(ref reader, start, Grafts, topic, Grafts.Count < _limits.MaxControlEntries);
    }

    private bool ReadPrune(int start, int length)
    {
        var reader = new ProtobufReader(Source.Span.Slice(start, length));
        var entry = new RpcPrune { FirstPeer = PrunePeers.Count };
        var keep = Prunes.Count < _limits.MaxControlEntries;
        while (reader.TryReadTag(out var field, out var wireType))
        {
            bool ok;
            switch (field)
            {
                case RpcSchema.PruneTopic:
                    ok = ReadRange(ref reader, wireType, start, out entry.Topic);
                    break;
                case RpcSchema.PrunePeers:
                    ok = TryReadNested(ref reader, wireType, out var s, out var l)
                        && ReadPeerInfo(start + s, l, keep, ref entry);
                    break;
                case RpcSchema.PruneBackoff:
                    ok = reader.TryReadVarint(wireType, out entry.BackoffSeconds);
                    entry.HasBackoff = ok;
                    break;
                default:
                    ok = reader.TrySkip(wireType);
                    break;
            }
            if (!ok)
                break;
        }
        return EndEntry(ref reader, start, Prunes, entry, keep);
    }

    private bool ReadPeerInfo(int start, int length, bool keep, ref RpcPrune prune)
    {
        var reader = new ProtobufReader(Source.Span.Slice(start, length));
        var info = default(RpcPeerInfo);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            var ok = field switch
            {
                RpcSchema.PeerInfoPeerId => ReadRange(ref reader, wireType, start, out info.PeerId),
                RpcSchema.PeerInfoSignedPeerRecord => ReadRange(ref reader, wireType, start, out info.SignedPeerRecord),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
                break;
        }
        if (!Nested(ref reader, start))
            return false;
        if (KeepOrDrop(PrunePeers, info, keep && PrunePeers.Count < _limits.MaxPrunePeers))
            prune.PeerCount++;
        return true;
    }
}
