using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub;

// Receiving: framing, RPC dispatch and the message pipeline
// (policy structure → id → seen? → signature → mark seen → validator → deliver, forward, score).
public sealed partial class GossipSubRouter
{
    /// <summary>
    /// Reads RPC frames from a peer's inbound meshsub stream until it ends, handing each to
    /// <see cref="HandleRpcAsync"/>. A malformed or oversized frame closes the peer (its link gets a
    /// <see cref="PubSubProtocolException"/>); when the stream ends the peer is removed. The caller completes the reader.
    /// <para>
    /// Under StrictSign the complete frames of each read are taken together (up to <see cref="ReceiveBatch.MaxFrames"/>)
    /// and the signatures of their new messages are checked ahead, on other cores, while the frames are handled one at
    /// a time in order as before (see <see cref="PrepareSignatures"/>).
    /// </para>
    /// </summary>
    public async Task ReadFromAsync(PubSubPeer peer, PipeReader reader, CancellationToken cancellationToken = default)
    {
        var batch = _options.SignaturePolicy == SignaturePolicy.StrictSign
            ? peer.ReceiveBatch ??= new ReceiveBatch(_verifier!, _options.SignatureCheckHelpers)
            : null;
        try
        {
            while (peer.IsConnected)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = batch is null
                        ? await HandleNextFrameAsync(peer, buffer).ConfigureAwait(false)
                        : await HandleNextFramesAsync(peer, batch, buffer).ConfigureAwait(false);
                    if (status.Stop)
                        return;
                    buffer = buffer.Slice(status.Consumed);
                    if (status.NeedMoreData)
                        break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (!buffer.IsEmpty)
                        ClosePeer(peer, RpcError.TruncatedFrame, 0, FrameLengthOf(buffer));
                    return;
                }
            }
        }
        finally
        {
            RemovePeer(peer);
        }
    }

    /// <summary>How far a step of <see cref="ReadFromAsync"/> got through the buffer.</summary>
    private readonly record struct ReadStep(SequencePosition Consumed, bool NeedMoreData, bool Stop);

    /// <summary>Handles the first complete frame of <paramref name="buffer"/>, if there is one.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadStep> HandleNextFrameAsync(PubSubPeer peer, ReadOnlySequence<byte> buffer)
    {
        var rest = buffer;
        var status = RpcFrame.TryRead(ref rest, _options.MaxRpcSize, out var rpc, out var error);
        if (status == OperationStatus.NeedMoreData)
            return new ReadStep(buffer.Start, NeedMoreData: true, Stop: false);
        if (status == OperationStatus.InvalidData)
        {
            ClosePeer(peer, error, 0, FrameLengthOf(buffer));
            return new ReadStep(buffer.Start, NeedMoreData: false, Stop: true);
        }
        var stop = await HandleRpcAsync(peer, rpc, null, 0).ConfigureAwait(false) != RpcError.None;
        return new ReadStep(rest.Start, NeedMoreData: false, Stop: stop);
    }

    /// <summary>
    /// Takes the complete frames at the start of <paramref name="buffer"/> (up to a batch), starts the checks of their
    /// signatures and handles them in order; the batch is finished before this returns.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadStep> HandleNextFramesAsync(PubSubPeer peer, ReceiveBatch batch, ReadOnlySequence<byte> buffer)
    {
        var rest = buffer;
        var status = OperationStatus.Done;
        var error = RpcError.None;
        batch.Clear();
        while (batch.Frames.Count < ReceiveBatch.MaxFrames)
        {
            status = RpcFrame.TryRead(ref rest, _options.MaxRpcSize, out var rpc, out error);
            if (status != OperationStatus.Done)
                break;
            batch.Frames.Add(rpc);
        }
        if (batch.Frames.Count > 0)
        {
            PrepareSignatures(peer, batch);
            batch.Signatures.Start();
            try
            {
                for (var frame = 0; frame < batch.Frames.Count; frame++)
                {
                    if (await HandleRpcAsync(peer, batch.Frames[frame], batch, frame).ConfigureAwait(false) != RpcError.None)
                        return new ReadStep(buffer.Start, NeedMoreData: false, Stop: true);
                }
            }
            finally
            {
                batch.FinishSignatures();
                batch.Clear();
            }
        }
        if (status == OperationStatus.InvalidData)
        {
            ClosePeer(peer, error, 0, FrameLengthOf(rest));
            return new ReadStep(buffer.Start, NeedMoreData: false, Stop: true);
        }
        return new ReadStep(rest.Start, NeedMoreData: status == OperationStatus.NeedMoreData, Stop: false);
    }

    /// <summary>
    /// The look-ahead of a batch: queues a signature check for every message of the frames that the handling pass
    /// will need to check as things stand now — on a subscribed topic, structurally sound under the policy, with an
    /// id, not yet seen, not a copy of an earlier one in the batch — from a peer that is not graylisted (whose RPCs
    /// are dropped unread). Things may change before the handling pass reaches a message (another peer's copy arrives
    /// first): then its check was wasted, never wrong, since the handling pass decides everything as before and only
    /// takes the verdict instead of computing it.
    /// </summary>
    [SkipLocalsInit] // the 1 KiB id buffer is written before it is read
    private void PrepareSignatures(PubSubPeer peer, ReceiveBatch batch)
    {
        lock (_gate)
        {
            if (!peer.IsConnected || (!peer.IsDirect && ScoreOf(peer) < _options.Thresholds.GraylistThreshold))
                return;
        }
        var decoder = batch.Decoder;
        Span<byte> idBuffer = stackalloc byte[MessageIds.MaxLength];
        for (var frame = 0; frame < batch.Frames.Count && !batch.Signatures.IsFull; frame++)
        {
            var rpc = batch.Frames[frame];
            // A split frame is copied into the peer's receive buffer for handling, away from where it would be checked.
            if (!rpc.IsSingleSegment)
            {
                batch.BeginFrame();
                continue;
            }
            var source = rpc.First;
            if (decoder.Decode(source, _options.RpcLimits) != RpcError.None)
                return; // the handling pass closes the peer at this frame
            batch.BeginFrame();
            for (var i = 0; i < decoder.Messages.Count; i++)
            {
                var entry = decoder.Messages[i];
                var encoded = entry.Encoded.Of(source);
                var fields = entry.Layout.Fields(encoded.Span);
                var job = -1;
                if (encoded.Length <= _options.MaxMessageSize
                    && MessageAuthenticator.CheckStructure(_options.SignaturePolicy, fields) == MessageRejection.None)
                {
                    var idLength = _messageId(fields, idBuffer);
                    if (idLength >= 0)
                    {
                        var id = idBuffer[..idLength];
                        bool wanted;
                        lock (_gate)
                        {
                            wanted = _topicsByName.TryGetValue(fields.Topic, out var topic) && topic.Subscribed
                                && !_seen.TryGet(id, out _);
                        }
                        if (wanted)
                            job = batch.TryQueue(encoded.Span, entry.Layout, id);
                    }
                }
                batch.MapMessage(job);
            }
        }
    }

    private static long FrameLengthOf(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return Core.Formats.UnsignedVarint.TryRead(ref reader, out var length) == OperationStatus.Done ? (long)length : -1;
    }

    /// <summary>
    /// Handles one RPC (the body of a frame) from <paramref name="peer"/>. A malformed RPC closes the peer and
    /// returns the error; otherwise subscriptions, messages and control are processed in that order. The returned
    /// task completes once every message of the RPC has been validated; <paramref name="rpc"/> must stay valid until
    /// then.
    /// </summary>
    public ValueTask<RpcError> HandleRpcAsync(PubSubPeer peer, ReadOnlySequence<byte> rpc) => HandleRpcAsync(peer, rpc, null, 0);

    /// <summary>Handles frame <paramref name="frame"/> of <paramref name="batch"/>, taking its checked signatures from it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RpcError> HandleRpcAsync(PubSubPeer peer, ReadOnlySequence<byte> rpc, ReceiveBatch? batch, int frame)
    {
        if (rpc.Length > _options.MaxRpcSize)
        {
            ClosePeer(peer, RpcError.FrameTooLarge, 0, rpc.Length);
            return RpcError.FrameTooLarge;
        }
        var decoder = peer.Decoder;
        var error = decoder.Decode(Contiguous(peer, rpc), _options.RpcLimits);
        if (error != RpcError.None)
        {
            ClosePeer(peer, error, decoder.ErrorOffset, rpc.Length);
            return error;
        }
        lock (_gate)
        {
            if (!peer.IsConnected)
                return RpcError.None;
            if (!peer.IsDirect && ScoreOf(peer) < _options.Thresholds.GraylistThreshold)
            {
                Counters.GraylistedRpcsCount++;
                return RpcError.None;
            }
            HandleSubscriptions(peer, decoder);
        }
        for (var i = 0; i < decoder.Messages.Count; i++)
        {
            var pending = HandleMessage(peer, decoder, i, batch?.JobOf(frame, i) ?? -1, batch);
            if (!pending.IsCompletedSuccessfully)
                await pending.ConfigureAwait(false);
        }
        if (decoder.HasControl)
        {
            lock (_gate)
            {
                if (peer.IsConnected)
                {
                    HandleControl(peer, decoder);
                    Flush(peer);
                }
            }
        }
        return RpcError.None;
    }

    /// <summary>
    /// The RPC as one block of memory: itself when it is, else a copy in the peer's receive buffer. The buffer grows
    /// to the largest split RPC the peer sent and lives as long as the peer (it is not pooled: a disconnect may come
    /// from another thread while the receive path still reads it).
    /// </summary>
    private static ReadOnlyMemory<byte> Contiguous(PubSubPeer peer, ReadOnlySequence<byte> rpc)
    {
        if (rpc.IsSingleSegment)
            return rpc.First;
        var length = (int)rpc.Length;
        if (peer.ReceiveBuffer is null || peer.ReceiveBuffer.Length < length)
            peer.ReceiveBuffer = GC.AllocateUninitializedArray<byte>(Math.Max(length, 2 * (peer.ReceiveBuffer?.Length ?? 0)));
        rpc.CopyTo(peer.ReceiveBuffer);
        return peer.ReceiveBuffer.AsMemory(0, length);
    }

    private void HandleSubscriptions(PubSubPeer peer, RpcDecoder decoder)
    {
        var source = decoder.Source.Span;
        foreach (ref readonly var subscription in decoder.Subscriptions.AsSpan())
        {
            var name = subscription.Topic.Of(source);
            if (subscription.Subscribe)
            {
                if (!IsAcceptableTopic(name) || peer.Topics.Count >= _options.MaxTopicsPerPeer)
                    continue;
                var topic = GetOrAddTopic(name);
                topic.Peers.Add(peer);
                peer.Topics.Add(topic);
            }
            else if (_topicsByName.TryGetValue(name, out var topic))
            {
                topic.Peers.Remove(peer);
                peer.Topics.Remove(topic);
                if (topic.Mesh.Remove(peer))
                    _score.Prune(peer.Score, topic.Name);
                topic.Fanout?.Remove(peer);
                RemoveIfUnused(topic);
            }
        }
    }

    /// <summary>
    /// The synchronous part of a received message's pipeline; returns a pending task only when its topic validator
    /// does not complete at once.
    /// </summary>
    [SkipLocalsInit] // the 1 KiB id buffer is written before it is read; zeroing it would cost every copy received
    private ValueTask HandleMessage(PubSubPeer peer, RpcDecoder decoder, int index, int job, ReceiveBatch? batch)
    {
        var entry = decoder.Messages[index];
        var encoded = entry.Encoded.Of(decoder.Source.Span);
        var fields = entry.Layout.Fields(encoded);
        TopicState? topic;
        lock (_gate)
        {
            Counters.MessagesReceivedCount++;
            if (encoded.Length > _options.MaxMessageSize
                || !_topicsByName.TryGetValue(fields.Topic, out topic) || !topic.Subscribed)
            {
                Counters.IgnoredCount++;
                return ValueTask.CompletedTask;
            }
        }

        if (MessageAuthenticator.CheckStructure(_options.SignaturePolicy, fields) != MessageRejection.None)
            return Reject(peer, topic);
        Span<byte> idBuffer = stackalloc byte[MessageIds.MaxLength];
        var idLength = _messageId(fields, idBuffer);
        if (idLength < 0)
            return Reject(peer, topic);
        var id = idBuffer[..idLength];

        lock (_gate)
        {
            if (_seen.TryGet(id, out var seen))
            {
                HandleDuplicate(peer, topic, id, seen);
                return ValueTask.CompletedTask;
            }
        }

        // Only now, for a message not seen before, pay for the signature (or take the verdict the batch's look-ahead
        // computed meanwhile). A forgery must not enter the seen cache, or it would mask the genuine message with the
        // same id.
        if (_options.SignaturePolicy == SignaturePolicy.StrictSign)
        {
            if (job < 0 || !batch!.Signatures.Take(job, encoded, out var rejection))
                rejection = MessageAuthenticator.VerifySignature(_verifier!, fields);
            if (rejection != MessageRejection.None)
                return Reject(peer, topic);
        }

        PubSubMessage message;
        TopicValidator? validator;
        lock (_gate)
        {
            if (_seen.TryGet(id, out var seen))
            {
                // Another peer's copy passed the signature check meanwhile.
                HandleDuplicate(peer, topic, id, seen);
                return ValueTask.CompletedTask;
            }
            _promises.Fulfill(id);
            if (_options.SignaturePolicy == SignaturePolicy.StrictSign && fields.From.SequenceEqual(_localPeerId))
            {
                // Our own message coming back after the seen cache forgot it (or a replay): never process it again.
                _seen.TryAdd(id, DeliveryStatus.Ignored);
                Counters.IgnoredCount++;
                return ValueTask.CompletedTask;
            }
            _seen.TryAdd(id, DeliveryStatus.Validating);
            message = PubSubMessage.Create(encoded, entry.Layout, id, topic.Name, peer.Id);
            validator = topic.Validator;
            if (validator is not null)
                _validating.Add(message.IdKey, message);
            if (encoded.Length >= _options.IDontWantMessageThreshold)
                SendIDontWant(topic, message, peer);
        }

        if (validator is null)
        {
            Decide(peer, topic, message, ValidationResult.Accept);
            return ValueTask.CompletedTask;
        }
        ValueTask<ValidationResult> verdict;
        try
        {
            verdict = validator(message);
        }
        catch (Exception)
        {
            lock (_gate)
                Counters.ValidatorFailuresCount++;
            Decide(peer, topic, message, ValidationResult.Ignore);
            return ValueTask.CompletedTask;
        }
        if (verdict.IsCompletedSuccessfully)
        {
            Decide(peer, topic, message, verdict.Result);
            return ValueTask.CompletedTask;
        }
        return DecideLaterAsync(peer, topic, message, verdict);
    }

    private async ValueTask DecideLaterAsync(
        PubSubPeer peer, TopicState topic, PubSubMessage message, ValueTask<ValidationResult> verdict)
    {
        ValidationResult result;
        try
        {
            result = await verdict.ConfigureAwait(false);
        }
        catch (Exception)
        {
            lock (_gate)
                Counters.ValidatorFailuresCount++;
            result = ValidationResult.Ignore;
        }
        Decide(peer, topic, message, result);
    }

    /// <summary>A message failed its signature policy: P₄ for the sender, and it is not remembered as seen.</summary>
    private ValueTask Reject(PubSubPeer peer, TopicState topic)
    {
        lock (_gate)
        {
            Counters.RejectedCount++;
            _score.InvalidDelivery(peer.Score, topic.Name);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Scores a copy of a message already seen, by where that message stands.</summary>
    private void HandleDuplicate(PubSubPeer peer, TopicState topic, ReadOnlySpan<byte> id, SeenEntry seen)
    {
        Counters.DuplicatesCount++;
        switch (seen.Status)
        {
            case DeliveryStatus.Validating:
                if (_validating.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(id, out var pending))
                {
                    var late = pending.LateDeliverers ??= [];
                    if (!late.Contains(peer))
                        late.Add(peer);
                }
                break;
            case DeliveryStatus.Valid:
                _score.DuplicateDelivery(peer.Score, topic.Name, seen.Since);
                break;
            case DeliveryStatus.Invalid:
                _score.InvalidDelivery(peer.Score, topic.Name);
                break;
        }
    }

    /// <summary>
    /// The validator's verdict: record it, score the sender and every peer that sent a copy meanwhile, and for an
    /// accepted message cache it, forward it and hand it to the subscriber (outside the lock, after forwarding).
    /// </summary>
    private void Decide(PubSubPeer source, TopicState topic, PubSubMessage message, ValidationResult result)
    {
        PubSubMessageHandler? handler = null;
        lock (_gate)
        {
            _validating.Remove(message.IdKey);
            var late = message.LateDeliverers;
            message.LateDeliverers = null;
            switch (result)
            {
                case ValidationResult.Accept:
                    _seen.SetStatus(message.Id.Span, DeliveryStatus.Valid);
                    _score.FirstDelivery(source.Score, topic.Name);
                    if (late is not null)
                        foreach (var peer in late)
                            _score.NearFirstDelivery(peer.Score, topic.Name);
                    _cache.Put(message);
                    Forward(topic, message, source);
                    Counters.DeliveredCount++;
                    handler = topic.Subscribed ? topic.Handler : null;
                    break;
                case ValidationResult.Reject:
                    _seen.SetStatus(message.Id.Span, DeliveryStatus.Invalid);
                    _score.InvalidDelivery(source.Score, topic.Name);
                    if (late is not null)
                        foreach (var peer in late)
                            _score.InvalidDelivery(peer.Score, topic.Name);
                    Counters.RejectedCount++;
                    break;
                default:
                    _seen.SetStatus(message.Id.Span, DeliveryStatus.Ignored);
                    Counters.IgnoredCount++;
                    break;
            }
        }
        if (handler is null)
            return;
        try
        {
            handler(message);
        }
        catch (Exception)
        {
            lock (_gate)
                Counters.HandlerFailuresCount++;
        }
    }
}
