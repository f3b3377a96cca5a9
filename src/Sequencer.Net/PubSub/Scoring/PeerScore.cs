namespace Sequencer.Net.PubSub.Scoring;

/// <summary>
/// The gossipsub v1.1 peer score: counters kept per peer as events happen, combined on demand as
/// <c>min(Σ topicWeight·(w₁P₁ + w₂P₂ + w₃P₃ + w₃bP₃b + w₄P₄), cap) + w₅P₅ + w₆P₆ + w₇P₇</c> (the cap only limits a
/// positive sum). Not thread-safe: the router calls it under its lock.
/// </summary>
internal sealed class PeerScore
{
    private readonly PeerScoreParameters _parameters;
    private readonly Func<string, TopicScoreParameters?> _topicParameters;
    private readonly RouterClock _clock;
    private readonly Dictionary<byte[], PeerScoreState> _peers = new(ByteKeyComparer.Instance);
    private readonly Dictionary<string, int> _connectedPerAddress = new(StringComparer.Ordinal);
    private readonly ReusableList<byte[]> _expired = new();

    public PeerScore(PeerScoreParameters parameters, Func<string, TopicScoreParameters?> topicParameters, RouterClock clock)
    {
        _parameters = parameters;
        _topicParameters = topicParameters;
        _clock = clock;
    }

    public PeerScoreParameters Parameters => _parameters;

    /// <summary>The state of a connecting peer: the retained one if it was here recently.</summary>
    public PeerScoreState Connect(byte[] peerId, string? address)
    {
        if (!_peers.TryGetValue(peerId, out var state))
        {
            state = new PeerScoreState(peerId);
            _peers.Add(peerId, state);
        }
        state.Connected = true;
        state.Address = address;
        if (address is not null)
            _connectedPerAddress[address] = _connectedPerAddress.GetValueOrDefault(address) + 1;
        return state;
    }

    public void Disconnect(PeerScoreState state)
    {
        if (!state.Connected)
            return;
        var now = _clock.Now;
        foreach (var stats in state.Topics.Values)
            LeaveMesh(stats);
        state.Connected = false;
        state.ExpiresAt = now + _clock.Ticks(_parameters.RetainScore);
        if (state.Address is { } address)
        {
            var remaining = _connectedPerAddress[address] - 1;
            if (remaining == 0)
                _connectedPerAddress.Remove(address);
            else
                _connectedPerAddress[address] = remaining;
        }
    }

    public bool TryGet(ReadOnlySpan<byte> peerId, out PeerScoreState state) =>
        _peers.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(peerId, out state!);

    public double Score(PeerScoreState state)
    {
        var now = _clock.Now;
        var topics = 0.0;
        foreach (var stats in state.Topics.Values)
        {
            var p = stats.Parameters;
            var topic = 0.0;
            if (stats.InMesh)
            {
                var quanta = (double)(now - stats.GraftedAt) / _clock.Ticks(p.TimeInMeshQuantum);
                topic += Math.Min(quanta, p.TimeInMeshCap) * p.TimeInMeshWeight;
            }
            topic += stats.FirstMessageDeliveries * p.FirstMessageDeliveriesWeight;
            var deficit = stats.MeshDeliveryDeficit;
            topic += deficit * deficit * p.MeshMessageDeliveriesWeight;
            topic += stats.MeshFailurePenalty * p.MeshFailurePenaltyWeight;
            topic += stats.InvalidMessageDeliveries * stats.InvalidMessageDeliveries * p.InvalidMessageDeliveriesWeight;
            topics += topic * p.TopicWeight;
        }
        if (_parameters.TopicScoreCap > 0 && topics > _parameters.TopicScoreCap)
            topics = _parameters.TopicScoreCap;

        var score = topics;
        if (_parameters.AppSpecificScore is { } app)
            score += app(state.PeerId) * _parameters.AppSpecificWeight;
        if (state.Address is { } address && _parameters.IPColocationFactorWeight != 0
            && _connectedPerAddress.TryGetValue(address, out var sharing)
            && sharing > _parameters.IPColocationFactorThreshold)
        {
            double surplus = sharing - _parameters.IPColocationFactorThreshold;
            score += surplus * surplus * _parameters.IPColocationFactorWeight;
        }
        var excess = state.BehaviourPenalty - _parameters.BehaviourPenaltyThreshold;
        if (excess > 0)
            score += excess * excess * _parameters.BehaviourPenaltyWeight;
        return score;
    }

    public void Graft(PeerScoreState state, string topic)
    {
        if (Stats(state, topic) is not { } stats)
            return;
        stats.InMesh = true;
        stats.GraftedAt = _clock.Now;
        stats.MeshDeliveriesActive = false;
    }

    public void Prune(PeerScoreState state, string topic)
    {
        if (state.Topics.TryGetValue(topic, out var stats))
            LeaveMesh(stats);
    }

    /// <summary>P₃b: a peer leaving the mesh with a delivery deficit keeps it as a sticky penalty.</summary>
    private static void LeaveMesh(TopicPeerStats stats)
    {
        if (!stats.InMesh)
            return;
        var deficit = stats.MeshDeliveryDeficit;
        stats.MeshFailurePenalty += deficit * deficit;
        stats.InMesh = false;
        stats.MeshDeliveriesActive = false;
    }

    /// <summary>The peer was first to deliver a message that validated (P₂, and P₃ if it is in the mesh).</summary>
    public void FirstDelivery(PeerScoreState state, string topic)
    {
        if (Stats(state, topic) is not { } stats)
            return;
        stats.FirstMessageDeliveries = Math.Min(
            stats.FirstMessageDeliveries + 1, stats.Parameters.FirstMessageDeliveriesCap);
        NearFirstDelivery(stats);
    }

    /// <summary>The peer delivered a valid message while it was validating or within the delivery window (P₃).</summary>
    public void NearFirstDelivery(PeerScoreState state, string topic)
    {
        if (Stats(state, topic) is { } stats)
            NearFirstDelivery(stats);
    }

    private static void NearFirstDelivery(TopicPeerStats stats)
    {
        if (stats.InMesh)
            stats.MeshMessageDeliveries = Math.Min(
                stats.MeshMessageDeliveries + 1, stats.Parameters.MeshMessageDeliveriesCap);
    }

    /// <summary>
    /// A copy of a message that validated at <paramref name="validatedAt"/>: still a near-first delivery (P₃) if it
    /// comes within the topic's delivery window.
    /// </summary>
    public void DuplicateDelivery(PeerScoreState state, string topic, long validatedAt)
    {
        if (Stats(state, topic) is { } stats
            && _clock.Now - validatedAt <= _clock.Ticks(stats.Parameters.MeshMessageDeliveryWindow))
            NearFirstDelivery(stats);
    }

    /// <summary>P₄: the peer delivered a message that failed its signature policy or its topic validator.</summary>
    public void InvalidDelivery(PeerScoreState state, string topic)
    {
        if (Stats(state, topic) is { } stats)
            stats.InvalidMessageDeliveries += 1;
    }

    /// <summary>P₇: protocol misbehaviour.</summary>
    public void AddPenalty(PeerScoreState state, int count) => state.BehaviourPenalty += count;

    /// <summary>
    /// Applies one decay interval: counters shrink by their decay factors, P₃ becomes active for peers grafted long
    /// enough, and states of peers gone longer than the retention are dropped.
    /// </summary>
    public void Decay()
    {
        var now = _clock.Now;
        var zero = _parameters.DecayToZero;
        _expired.Clear();
        foreach (var state in _peers.Values)
        {
            if (!state.Connected && now >= state.ExpiresAt)
            {
                _expired.Add(state.PeerId);
                continue;
            }
            foreach (var stats in state.Topics.Values)
            {
                var p = stats.Parameters;
                stats.FirstMessageDeliveries = Decayed(stats.FirstMessageDeliveries, p.FirstMessageDeliveriesDecay, zero);
                stats.MeshMessageDeliveries = Decayed(stats.MeshMessageDeliveries, p.MeshMessageDeliveriesDecay, zero);
                stats.MeshFailurePenalty = Decayed(stats.MeshFailurePenalty, p.MeshFailurePenaltyDecay, zero);
                stats.InvalidMessageDeliveries = Decayed(stats.InvalidMessageDeliveries, p.InvalidMessageDeliveriesDecay, zero);
                if (stats.InMesh && now - stats.GraftedAt > _clock.Ticks(p.MeshMessageDeliveriesActivation))
                    stats.MeshDeliveriesActive = true;
            }
            state.BehaviourPenalty = Decayed(state.BehaviourPenalty, _parameters.BehaviourPenaltyDecay, zero);
        }
        foreach (var peerId in _expired.AsSpan())
            _peers.Remove(peerId);
    }

    /// <summary>Topic parameters changed: counters of that topic now follow the new ones (or stop counting).</summary>
    public void RefreshTopicParameters(string topic)
    {
        var parameters = _topicParameters(topic);
        foreach (var state in _peers.Values)
        {
            if (!state.Topics.TryGetValue(topic, out var stats))
                continue;
            if (parameters is null)
                state.Topics.Remove(topic);
            else
                stats.Parameters = parameters;
        }
    }

    /// <summary>
    /// The router dropped <paramref name="topic"/> (nobody subscribed, nothing pending): its counters go too. Without
    /// this every short-lived topic a peer ever shared stayed in its state, and each score — computed for every RPC
    /// received and every publish target — walked all of them, so a node that joins a topic per round got slower with
    /// every round.
    /// </summary>
    public void ForgetTopic(string topic)
    {
        foreach (var state in _peers.Values)
            state.Topics.Remove(topic);
    }

    private static double Decayed(double value, double decay, double zero)
    {
        var decayed = value * decay;
        return decayed < zero ? 0 : decayed;
    }

    private TopicPeerStats? Stats(PeerScoreState state, string topic)
    {
        if (state.Topics.TryGetValue(topic, out var stats))
            return stats;
        if (_topicParameters(topic) is not { } parameters)
            return null;
        stats = new TopicPeerStats(parameters);
        state.Topics.Add(topic, stats);
        return stats;
    }
}
