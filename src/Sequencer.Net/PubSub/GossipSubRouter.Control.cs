using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub;

// Control messages: GRAFT, PRUNE, IHAVE, IWANT, IDONTWANT, received and sent. Everything here runs under the lock.
public sealed partial class GossipSubRouter
{
    private void HandleControl(PubSubPeer peer, RpcDecoder decoder)
    {
        var source = decoder.Source.Span;
        HandleIWant(peer, decoder);
        HandleIHave(peer, decoder);
        foreach (var topic in decoder.Grafts.AsSpan())
            HandleGraft(peer, topic.Of(source));
        foreach (ref readonly var prune in decoder.Prunes.AsSpan())
            HandlePrune(peer, prune, source);
        HandleIDontWant(peer, decoder);
    }

    /// <summary>
    /// A peer wants into our mesh. GRAFTs for topics we are not in are ignored (answering them would let anyone make
    /// us send PRUNEs); direct peers, peers still backed off (penalised, twice if within the flood threshold),
    /// negatively scored peers and inbound peers when the mesh is full get a PRUNE instead.
    /// </summary>
    private void HandleGraft(PubSubPeer peer, ReadOnlySpan<byte> name)
    {
        if (!_topicsByName.TryGetValue(name, out var topic) || !topic.Subscribed || topic.Mesh.Contains(peer))
            return;
        if (peer.IsDirect)
        {
            SendPrune(peer, topic, _options.PruneBackoff);
            return;
        }
        var now = _clock.Now;
        if (topic.Backoff.TryGetValue(peer.Id, out var until) && now < until)
        {
            _score.AddPenalty(peer.Score, 1);
            if (now < until - _clock.Ticks(_options.PruneBackoff) + _clock.Ticks(_options.GraftFloodThreshold))
                _score.AddPenalty(peer.Score, 1);
            SendPrune(peer, topic, _options.PruneBackoff);
            return;
        }
        if (ScoreOf(peer) < 0 || (topic.Mesh.Count >= _options.Dhi && !peer.IsOutbound))
        {
            SendPrune(peer, topic, _options.PruneBackoff);
            return;
        }
        topic.Mesh.Add(peer);
        _score.Graft(peer.Score, topic.Name);
    }

    /// <summary>A peer left our mesh: we keep away for the backoff it asks (bounded), else the default. PX is ignored.</summary>
    private void HandlePrune(PubSubPeer peer, in RpcPrune prune, ReadOnlySpan<byte> source)
    {
        if (!_topicsByName.TryGetValue(prune.Topic.Of(source), out var topic))
            return;
        if (topic.Mesh.Remove(peer))
            _score.Prune(peer.Score, topic.Name);
        var backoff = prune.HasBackoff
            ? TimeSpan.FromSeconds(Math.Min(prune.BackoffSeconds, (ulong)_options.MaxPruneBackoff.TotalSeconds))
            : _options.PruneBackoff;
        AddBackoff(topic, peer, backoff);
    }

    /// <summary>
    /// Gossip from a peer: ask (IWANT) for advertised messages of our topics we have not seen, within the per-heartbeat
    /// budgets, and remember one asked id as the peer's promise to deliver.
    /// </summary>
    private void HandleIHave(PubSubPeer peer, RpcDecoder decoder)
    {
        if (decoder.IHaves.Count == 0 || ScoreOf(peer) < _options.Thresholds.GossipThreshold)
            return;
        peer.IHavesReceived++;
        if (peer.IHavesReceived > _options.MaxIHaveMessages || peer.IWantsAsked >= _options.MaxIHaveLength)
            return;
        var source = decoder.Source.Span;
        _iwantScratch.Clear();
        _idScratch.Clear();
        foreach (ref readonly var ihave in decoder.IHaves.AsSpan())
        {
            if (!_topicsByName.TryGetValue(ihave.Topic.Of(source), out var topic) || !topic.Subscribed)
                continue;
            foreach (var id in decoder.IHaveIds.AsSpan().Slice(ihave.FirstId, ihave.IdCount))
            {
                if (!_seen.Contains(id.Of(source)) && _idScratch.Add(new MessageIdKey(id.Of(decoder.Source))))
                    _iwantScratch.Add(id);
            }
        }
        if (_iwantScratch.Count == 0)
            return;
        var wanted = _iwantScratch.AsSpan();
        Shuffle(wanted);
        wanted = wanted[..Math.Min(wanted.Length, _options.MaxIHaveLength - peer.IWantsAsked)];
        peer.IWantsAsked += wanted.Length;
        foreach (var id in wanted)
        {
            EnsureRoom(peer, id.Length);
            peer.Outbox.AddIWant(id.Of(decoder.Source));
        }
        var promised = wanted[_random.Next(wanted.Length)].Of(source);
        _promises.Add(promised, peer, _clock.Now + _clock.Ticks(_options.IWantFollowupTime));
    }

    /// <summary>Answers IWANT from the message cache, at most <see cref="GossipSubOptions.GossipRetransmission"/> times per message and peer.</summary>
    private void HandleIWant(PubSubPeer peer, RpcDecoder decoder)
    {
        if (decoder.IWantIds.Count == 0 || ScoreOf(peer) < _options.Thresholds.GossipThreshold)
            return;
        var source = decoder.Source.Span;
        foreach (var id in decoder.IWantIds.AsSpan())
        {
            if (!_cache.TryGet(id.Of(source), out var message))
                continue;
            var sent = message.Retransmissions ??= [];
            var count = sent.GetValueOrDefault(peer) + 1;
            sent[peer] = count;
            if (count > _options.GossipRetransmission)
                continue;
            if (peer.Outbox.RpcSizeWithMessage(message.Encoded.Length) > _options.MaxRpcSize)
                Flush(peer);
            peer.Outbox.AddMessage(message.Encoded);
        }
    }

    /// <summary>IDONTWANT (v1.2): skip these messages when forwarding to the peer, for a few heartbeats.</summary>
    private void HandleIDontWant(PubSubPeer peer, RpcDecoder decoder)
    {
        var source = decoder.Source.Span;
        foreach (var id in decoder.IDontWantIds.AsSpan())
        {
            if (peer.IDontWantsReceived >= _options.MaxIDontWantMessages)
                return;
            peer.IDontWantsReceived++;
            var dontWant = (peer.DontWant ??= new Dictionary<MessageIdKey, long>(MessageIdKeyComparer.Instance))
                .GetAlternateLookup<ReadOnlySpan<byte>>();
            dontWant[id.Of(source)] = _heartbeatCount + _options.IDontWantTtlHeartbeats;   // a new key copies the id
        }
    }

    /// <summary>Adds a peer to our mesh and queues the GRAFT.</summary>
    private void Graft(TopicState topic, PubSubPeer peer)
    {
        topic.Mesh.Add(peer);
        _score.Graft(peer.Score, topic.Name);
        EnsureRoom(peer, topic.NameUtf8.Length);
        peer.Outbox.AddGraft(topic.NameUtf8);
    }

    /// <summary>Removes a peer from our mesh and queues the PRUNE.</summary>
    private void LeaveMesh(TopicState topic, PubSubPeer peer, TimeSpan backoff)
    {
        if (topic.Mesh.Remove(peer))
            _score.Prune(peer.Score, topic.Name);
        SendPrune(peer, topic, backoff);
    }

    /// <summary>Queues a PRUNE (with the backoff for v1.1+ peers) and backs off from the peer ourselves.</summary>
    private void SendPrune(PubSubPeer peer, TopicState topic, TimeSpan backoff)
    {
        EnsureRoom(peer, topic.NameUtf8.Length + 10);
        peer.Outbox.AddPrune(
            topic.NameUtf8, peer.Protocol == PubSubProtocol.MeshSub10 ? null : (ulong)backoff.TotalSeconds);
        AddBackoff(topic, peer, backoff);
    }

    /// <summary>Queues an IHAVE for <paramref name="messages"/>, splitting it if the RPC would grow past the limit.</summary>
    private void SendIHave(PubSubPeer peer, TopicState topic, ReadOnlySpan<PubSubMessage> messages)
    {
        EnsureRoom(peer, topic.NameUtf8.Length);
        peer.Outbox.AddIHave(topic.NameUtf8);
        foreach (var message in messages)
        {
            if (EnsureRoom(peer, message.Id.Length))
                peer.Outbox.AddIHave(topic.NameUtf8);
            peer.Outbox.AddIHaveId(message.Id);
        }
    }
}
