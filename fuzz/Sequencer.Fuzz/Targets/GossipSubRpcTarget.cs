using System.Buffers;
using Sequencer.Net.PubSub.Wire;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="RpcDecoder.Decode"/> on an arbitrary RPC body, with the default <see cref="RpcLimits"/> or tiny ones
/// (the first input byte chooses), through one decoder reused for every input as a peer's stream reuses it.
/// <para>
/// Checks: a refusal is a defined RPC error (not a framing one) found inside the RPC; an accepted RPC's entries all
/// lie inside it, keep within the limits, and partition the IHAVE ids and PRUNE peers among their entries; every
/// message's fields re-encode (<see cref="MessageEncoder"/>) to a message with the same fields; the entries rebuilt
/// with <see cref="RpcBuilder"/> make a frame whose RPC decodes without dropping anything to the same entries — the
/// rebuilt frame of those is byte-for-byte the first rebuilt frame.
/// </para>
/// </summary>
internal sealed class GossipSubRpcTarget : IFuzzTarget
{
    private static readonly RpcLimits s_tinyLimits = new()
    {
        MaxSubscriptions = 2,
        MaxMessages = 2,
        MaxIHaveIds = 3,
        MaxIWantIds = 2,
        MaxIDontWantIds = 2,
        MaxControlEntries = 2,
        MaxPrunePeers = 1,
    };

    // Created on the first input, not with the target: FuzzTargets.All builds every target before SharpFuzz's fork
    // server starts, and instrumented code (all of Sequencer.Net) must not run before it provides the coverage map.
    private RpcDecoder? _decoder;
    private RpcDecoder? _redecoder;
    private RpcBuilder? _builder;

    public string Name => "gossipsub-rpc";

    public IEnumerable<byte[]> Seeds()
    {
        var body = RpcOf(SampleRpcFrame());
        yield return [0x00, .. body];
        yield return [0x01, .. body];
        // A subscription, then a PRUNE whose PX record runs past its entry.
        yield return [0x00, 0x0A, 0x04, 0x08, 0x01, 0x12, 0x00, 0x1A, 0x06, 0x22, 0x04, 0x12, 0x05, 0x0A, 0x01];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        _decoder ??= new RpcDecoder();
        _redecoder ??= new RpcDecoder();
        _builder ??= new RpcBuilder();
        var limits = (input[0] & 1) == 0 ? RpcLimits.Default : s_tinyLimits;
        var rpc = input[1..].ToArray();
        var error = _decoder.Decode(rpc, limits);
        ThrowIf(!Enum.IsDefined(error) || error is RpcError.FrameTooLarge or RpcError.MalformedLengthPrefix or RpcError.TruncatedFrame,
            $"the decoder returned {error}");
        if (error != RpcError.None)
        {
            ThrowIf(_decoder.ErrorOffset < 0 || _decoder.ErrorOffset > rpc.Length, $"an error at byte {_decoder.ErrorOffset} of {rpc.Length}");
            return;
        }
        CheckEntries(_decoder, rpc.Length, limits);

        var rebuilt = Rebuild(_decoder);
        var body = RpcOf(rebuilt);
        ThrowIf(_redecoder.Decode(body, limits) != RpcError.None || _redecoder.DroppedEntries != 0,
            "the rebuilt RPC is refused, or loses entries to the limits");
        CheckEntries(_redecoder, body.Length, limits);
        ThrowIf(!Rebuild(_redecoder).AsSpan().SequenceEqual(rebuilt), "the rebuilt RPC decodes to other entries");
    }

    private static void CheckEntries(RpcDecoder decoder, int length, RpcLimits limits)
    {
        var source = decoder.Source.Span;
        ThrowIf(decoder.Subscriptions.Count > limits.MaxSubscriptions || decoder.Messages.Count > limits.MaxMessages
            || decoder.IHaveIds.Count > limits.MaxIHaveIds || decoder.IWantIds.Count > limits.MaxIWantIds
            || decoder.IDontWantIds.Count > limits.MaxIDontWantIds || decoder.IHaves.Count > limits.MaxControlEntries
            || decoder.Grafts.Count > limits.MaxControlEntries || decoder.Prunes.Count > limits.MaxControlEntries
            || decoder.PrunePeers.Count > limits.MaxPrunePeers, "more entries than the limits were kept");
        foreach (var subscription in decoder.Subscriptions.AsSpan())
            Inside(subscription.Topic, length);
        var ids = 0;
        foreach (var ihave in decoder.IHaves.AsSpan())
        {
            Inside(ihave.Topic, length);
            ThrowIf(ihave.FirstId != ids || ihave.IdCount < 0, "IHAVE entries do not partition the IHAVE ids");
            ids += ihave.IdCount;
        }
        ThrowIf(ids != decoder.IHaveIds.Count, "IHAVE ids belong to no entry");
        var peers = 0;
        foreach (var prune in decoder.Prunes.AsSpan())
        {
            Inside(prune.Topic, length);
            ThrowIf(prune.FirstPeer != peers || prune.PeerCount < 0, "PRUNE entries do not partition the PX records");
            peers += prune.PeerCount;
        }
        ThrowIf(peers != decoder.PrunePeers.Count, "PX records belong to no PRUNE");
        foreach (var list in new[] { decoder.IHaveIds, decoder.IWantIds, decoder.IDontWantIds, decoder.Grafts })
        {
            foreach (var range in list.AsSpan())
                Inside(range, length);
        }
        foreach (var peer in decoder.PrunePeers.AsSpan())
        {
            Inside(peer.PeerId, length);
            Inside(peer.SignedPeerRecord, length);
        }
        foreach (var message in decoder.Messages.AsSpan())
        {
            Inside(message.Encoded, length);
            var encoded = message.Encoded.Of(source);
            var layout = message.Layout;
            foreach (var field in new[] { layout.From, layout.Data, layout.Seqno, layout.Topic, layout.Signature, layout.Key })
                Inside(field, encoded.Length);
            CheckMessageReencodes(layout.Fields(encoded));
        }
    }

    /// <summary>The canonical encoding of a message's fields reads back as the same fields.</summary>
    private static void CheckMessageReencodes(in MessageFields fields)
    {
        var encoded = new byte[MessageEncoder.GetSize(fields)];
        ThrowIf(MessageEncoder.Write(fields, encoded) != encoded.Length, "a message's size and its encoding disagree");
        ThrowIf(MessageLayout.TryRead(encoded, out var layout, out _) != Sequencer.Core.Formats.ProtobufError.None,
            "a re-encoded message is refused");
        var again = layout.Fields(encoded);
        ThrowIf(again.Present != fields.Present || !again.From.SequenceEqual(fields.From) || !again.Data.SequenceEqual(fields.Data)
            || !again.Seqno.SequenceEqual(fields.Seqno) || !again.Topic.SequenceEqual(fields.Topic)
            || !again.Signature.SequenceEqual(fields.Signature) || !again.Key.SequenceEqual(fields.Key),
            "a re-encoded message has other fields");
    }

    private static void Inside(ByteRange range, int length) =>
        ThrowIf(range.Start < 0 || range.Length < 0 || range.End > length,
            $"a field at {range.Start}+{range.Length} lies outside the {length}-byte RPC");

    /// <summary>The decoded entries as one frame built by <see cref="RpcBuilder"/>.</summary>
    private byte[] Rebuild(RpcDecoder decoder)
    {
        var source = decoder.Source;
        var builder = _builder!;
        builder.Clear();
        foreach (var subscription in decoder.Subscriptions.AsSpan())
            builder.AddSubscription(subscription.Subscribe, subscription.Topic.Of(source));
        foreach (var message in decoder.Messages.AsSpan())
            builder.AddMessage(message.Encoded.Of(source));
        foreach (var ihave in decoder.IHaves.AsSpan())
        {
            builder.AddIHave(ihave.Topic.Of(source));
            foreach (var id in decoder.IHaveIds.AsSpan().Slice(ihave.FirstId, ihave.IdCount))
                builder.AddIHaveId(id.Of(source));
        }
        foreach (var id in decoder.IWantIds.AsSpan())
            builder.AddIWant(id.Of(source));
        foreach (var topic in decoder.Grafts.AsSpan())
            builder.AddGraft(topic.Of(source));
        foreach (var prune in decoder.Prunes.AsSpan())
        {
            builder.AddPrune(prune.Topic.Of(source), prune.HasBackoff ? prune.BackoffSeconds : (ulong?)null);
            foreach (var peer in decoder.PrunePeers.AsSpan().Slice(prune.FirstPeer, prune.PeerCount))
                builder.AddPrunePeer(peer.PeerId.Of(source), peer.SignedPeerRecord.Of(source));
        }
        foreach (var id in decoder.IDontWantIds.AsSpan())
            builder.AddIDontWant(id.Of(source));
        var frame = new byte[builder.FrameSize];
        ThrowIf(builder.WriteFrame(frame) != frame.Length, "the builder's frame size and its frame disagree");
        return frame;
    }

    /// <summary>The RPC inside a frame the builder wrote (its prefix is checked by the frame target).</summary>
    private static byte[] RpcOf(byte[] frame)
    {
        var sequence = new ReadOnlySequence<byte>(frame);
        ThrowIf(RpcFrame.TryRead(ref sequence, int.MaxValue, out var rpc, out var error) != OperationStatus.Done || !sequence.IsEmpty,
            $"the builder's frame does not read back as one frame ({error})");
        return rpc.ToArray();
    }

    /// <summary>A frame with an entry of every kind, for the seeds of this target and the frame target.</summary>
    internal static byte[] SampleRpcFrame()
    {
        byte[] topic = "/jmzk/consensus/1"u8.ToArray();
        var message = new byte[MessageEncoder.GetSize(SampleMessage(topic))];
        MessageEncoder.Write(SampleMessage(topic), message);
        var builder = new RpcBuilder();
        builder.AddSubscription(true, topic);
        builder.AddSubscription(false, "other"u8.ToArray());
        builder.AddMessage(message);
        builder.AddIHave(topic);
        builder.AddIHaveId(new byte[] { 1, 2, 3 });
        builder.AddIHaveId(new byte[] { 4, 5 });
        builder.AddIWant(new byte[] { 6 });
        builder.AddGraft(topic);
        builder.AddPrune(topic, 60);
        builder.AddPrunePeer(new byte[] { 0x00, 0x02, 0x08, 0x01 }, new byte[] { 9, 9 });
        builder.AddPrune("old"u8.ToArray(), null);
        builder.AddIDontWant(new byte[] { 7, 7, 7 });
        var frame = new byte[builder.FrameSize];
        builder.WriteFrame(frame);
        return frame;
    }

    private static MessageFields SampleMessage(byte[] topic) => new()
    {
        Present = MessageFieldFlags.From | MessageFieldFlags.Data | MessageFieldFlags.Seqno | MessageFieldFlags.Topic | MessageFieldFlags.Signature,
        From = new byte[] { 0x00, 0x02, 0x08, 0x01 },
        Data = "vote"u8,
        Seqno = new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 },
        Topic = topic,
        Signature = new byte[64],
    };
}
