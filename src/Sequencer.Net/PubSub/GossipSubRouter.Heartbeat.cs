namespace Sequencer.Net.PubSub;

// The heartbeat: mesh and fanout maintenance, gossip emission, cache rotation, score decay.
public sealed partial class GossipSubRouter
{
    // Peer filters for SelectPeers. Static, so choosing peers allocates no closures.
    private static readonly Func<GossipSubRouter, TopicState, PubSubPeer, bool> MeshCandidate =
        static (router, topic, peer) => router.IsMeshCandidate(topic, peer);

    private static readonly Func<GossipSubRouter, TopicState, PubSubPeer, bool> OutboundMeshCandidate =
        static (router, topic, peer) => peer.IsOutbound && router.IsMeshCandidate(topic, peer);

    private static readonly Func<GossipSubRouter, TopicState, PubSubPeer, bool> AboveMedianCandidate =
        static (router, topic, peer) => router.IsMeshCandidate(topic, peer) && peer.HeartbeatScore > router._medianScore;

    private static readonly Func<GossipSubRouter, TopicState, PubSubPeer, bool> FanoutCandidate =
        static (router, topic, peer) => !peer.IsDirect && !(topic.Fanout?.Contains(peer) ?? false)
            && router.ScoreOf(peer) >= router._options.Thresholds.PublishThreshold;

    private static readonly Comparison<PubSubPeer> ByScoreDescending =
        static (a, b) => b.HeartbeatScore.CompareTo(a.HeartbeatScore);

    private double _medianScore;

    /// <summary>One heartbeat, driven by the timer <see cref="Start"/> creates.</summary>
    internal void Heartbeat()
    {
        List<ReadOnlyMemory<byte>>? reconnect = null;
        lock (_gate)
        {
            if (_disposed)
                return;
            _heartbeatCount++;
            var now = _clock.Now;
            foreach (var peer in _peers.Values)
            {
                peer.IHavesReceived = peer.IWantsAsked = peer.IDontWantsReceived = 0;
                if (peer.DontWant is { } dontWant)
                    foreach (var (digest, expires) in dontWant)
                        if (expires <= _heartbeatCount)
                            dontWant.Remove(digest); // allowed while enumerating since .NET Core 3.0
            }
            _promises.PenalizeBroken(now, _score);
            // Decay runs at its own fixed cadence; catching up in steps keeps the rate right when heartbeats jitter.
            for (var steps = 0; now - _lastDecay >= _decayTicks && steps < 10; steps++)
            {
                _score.Decay();
                _lastDecay += _decayTicks;
            }
            if (now - _lastDecay >= _decayTicks)
                _lastDecay = now;
            foreach (var peer in _peers.Values)
                peer.HeartbeatScore = ScoreOf(peer);

            _topicScratch.Clear();
            foreach (var topic in _topics.Values)
                _topicScratch.Add(topic);
            foreach (var topic in _topicScratch.AsSpan())
            {
                if (topic.Subscribed && IsFloodOnly(topic))
                {
                    // No mesh of ours to keep, nothing to gossip.
                }
                else if (topic.Subscribed)
                {
                    MaintainMesh(topic);
                    EmitGossip(topic, topic.Mesh);
                }
                else if (topic.Fanout is not null)
                {
                    MaintainFanout(topic, now);
                    if (topic.Fanout is not null)
                        EmitGossip(topic, topic.Fanout);
                }
                foreach (var (peerId, until) in topic.Backoff)
                    if (until + _heartbeatTicks <= now)
                        topic.Backoff.Remove(peerId);
            }
            FlushAll();
            _cache.Shift();
            _seen.Expire();
            foreach (var topic in _topicScratch.AsSpan())
                RemoveIfUnused(topic);
            _topicScratch.Clear();

            // Direct peers are dialled at the first heartbeat and re-dialled every DirectConnectTicks while absent.
            if ((_heartbeatCount == 1 || _heartbeatCount % _options.DirectConnectTicks == 0) && _options.ConnectDirectPeer is not null)
                foreach (var peerId in _directPeerIds)
                    if (!_peers.ContainsKey(peerId))
                        (reconnect ??= []).Add(peerId);
        }
        if (reconnect is not null)
            foreach (var peerId in reconnect)
                _options.ConnectDirectPeer!(peerId);
    }

    /// <summary>Subscribing: the mesh starts from the fanout set, then random eligible peers, up to D.</summary>
    private void Join(TopicState topic)
    {
        if (IsFloodOnly(topic))
        {
            topic.Fanout = null;
            return;
        }
        if (topic.Fanout is { } fanout)
        {
            foreach (var peer in fanout)
                if (topic.Mesh.Count < _options.D && IsMeshCandidate(topic, peer))
                    Graft(topic, peer);
            topic.Fanout = null;
        }
        if (topic.Mesh.Count < _options.D)
            foreach (var peer in SelectPeers(topic, _options.D - topic.Mesh.Count, MeshCandidate))
                Graft(topic, peer);
    }

    private bool IsFloodOnly(TopicState topic) => _options.FloodOnlyTopic?.Invoke(topic.Name) ?? false;

    private bool IsMeshCandidate(TopicState topic, PubSubPeer peer) =>
        !topic.Mesh.Contains(peer) && !peer.IsDirect && !InBackoff(topic, peer, _heartbeatTicks) && ScoreOf(peer) >= 0;

    /// <summary>
    /// Keeps one mesh healthy (gossipsub v1.1 heartbeat): negative scores out; below Dlo grafted up to D; above Dhi
    /// pruned to D keeping the Dscore best and a random rest with at least Dout outbound; the outbound quota
    /// topped up; and every <see cref="GossipSubOptions.OpportunisticGraftTicks"/> better peers grafted in when the
    /// median score is low.
    /// </summary>
    private void MaintainMesh(TopicState topic)
    {
        var mesh = topic.Mesh;
        _peerScratch.Clear();
        foreach (var peer in mesh)
            if (peer.HeartbeatScore < 0)
                _peerScratch.Add(peer);
        foreach (var peer in _peerScratch.AsSpan())
            LeaveMesh(topic, peer, _options.PruneBackoff);

        if (mesh.Count < _options.Dlo)
            foreach (var peer in SelectPeers(topic, _options.D - mesh.Count, MeshCandidate))
                Graft(topic, peer);
        else if (mesh.Count > _options.Dhi)
            PruneOversubscribed(topic);

        if (mesh.Count >= _options.Dlo)
        {
            var outbound = 0;
            foreach (var peer in mesh)
                if (peer.IsOutbound)
                    outbound++;
            if (outbound < _options.Dout)
                foreach (var peer in SelectPeers(topic, _options.Dout - outbound, OutboundMeshCandidate))
                    Graft(topic, peer);
        }

        if (_heartbeatCount % _options.OpportunisticGraftTicks == 0 && mesh.Count > 1)
        {
            _peerScratch.Clear();
            foreach (var peer in mesh)
                _peerScratch.Add(peer);
            var byScore = _peerScratch.AsSpan();
            byScore.Sort(ByScoreDescending);
            _medianScore = byScore[byScore.Length / 2].HeartbeatScore;
            if (_medianScore < _options.Thresholds.OpportunisticGraftThreshold)
                foreach (var peer in SelectPeers(topic, _options.OpportunisticGraftPeers, AboveMedianCandidate))
                    Graft(topic, peer);
        }
    }

    private void PruneOversubscribed(TopicState topic)
    {
        _peerScratch.Clear();
        foreach (var peer in topic.Mesh)
            _peerScratch.Add(peer);
        var peers = _peerScratch.AsSpan();
        Shuffle(peers);
        peers.Sort(ByScoreDescending);
        Shuffle(peers[_options.Dscore..]);
        var keep = _options.D;
        var outbound = 0;
        foreach (var peer in peers[..keep])
            if (peer.IsOutbound)
                outbound++;
        // Too few outbound peers among the survivors: swap outbound ones in from the pruned part, replacing inbound
        // survivors from the end (the random picks first, then the lowest scores).
        for (var i = keep; i < peers.Length && outbound < _options.Dout; i++)
        {
            if (!peers[i].IsOutbound)
                continue;
            for (var j = keep - 1; j >= 0; j--)
            {
                if (peers[j].IsOutbound)
                    continue;
                (peers[i], peers[j]) = (peers[j], peers[i]);
                outbound++;
                break;
            }
        }
        foreach (var peer in peers[keep..])
            LeaveMesh(topic, peer, _options.PruneBackoff);
    }

    /// <summary>Fanout sets expire after the TTL; members that left the topic or fell below the publish threshold are replaced.</summary>
    private void MaintainFanout(TopicState topic, long now)
    {
        var fanout = topic.Fanout!;
        if (now - topic.FanoutLastPublished > _clock.Ticks(_options.FanoutTtl))
        {
            topic.Fanout = null;
            return;
        }
        _peerScratch.Clear();
        foreach (var peer in fanout)
            if (!topic.Peers.Contains(peer) || peer.HeartbeatScore < _options.Thresholds.PublishThreshold)
                _peerScratch.Add(peer);
        foreach (var peer in _peerScratch.AsSpan())
            fanout.Remove(peer);
        if (fanout.Count < _options.D)
            foreach (var peer in SelectPeers(topic, _options.D - fanout.Count, FanoutCandidate))
                fanout.Add(peer);
    }

    /// <summary>
    /// IHAVE for the topic's recent messages to max(Dlazy, GossipFactor × eligible) random peers outside
    /// <paramref name="exclude"/> whose score is at least the gossip threshold.
    /// </summary>
    private void EmitGossip(TopicState topic, HashSet<PubSubPeer> exclude)
    {
        _gossipScratch.Clear();
        _cache.CollectGossip(topic.Name, _gossipScratch);
        if (_gossipScratch.Count == 0 || _options.MaxIHaveLength == 0)
            return;
        _candidateScratch.Clear();
        foreach (var peer in topic.Peers)
            if (!exclude.Contains(peer) && !peer.IsDirect && peer.HeartbeatScore >= _options.Thresholds.GossipThreshold)
                _candidateScratch.Add(peer);
        if (_candidateScratch.Count == 0)
            return;
        var targets = _candidateScratch.AsSpan();
        Shuffle(targets);
        var count = Math.Max(_options.Dlazy, (int)(_options.GossipFactor * targets.Length));
        targets = targets[..Math.Min(count, targets.Length)];
        var messages = _gossipScratch.AsSpan();
        if (messages.Length > _options.MaxIHaveLength)
        {
            Shuffle(messages);
            messages = messages[.._options.MaxIHaveLength];
        }
        foreach (var peer in targets)
            SendIHave(peer, topic, messages);
    }

    /// <summary>Up to <paramref name="count"/> random peers of the topic that pass <paramref name="filter"/>.</summary>
    private ReadOnlySpan<PubSubPeer> SelectPeers(
        TopicState topic, int count, Func<GossipSubRouter, TopicState, PubSubPeer, bool> filter)
    {
        _candidateScratch.Clear();
        if (count <= 0)
            return [];
        foreach (var peer in topic.Peers)
            if (filter(this, topic, peer))
                _candidateScratch.Add(peer);
        var candidates = _candidateScratch.AsSpan();
        Shuffle(candidates);
        return candidates[..Math.Min(count, candidates.Length)];
    }
}
