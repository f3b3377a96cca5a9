namespace Sequencer.Net.PubSub.Scoring;

/// <summary>What the score remembers of one peer; outlives the connection by <see cref="PeerScoreParameters.RetainScore"/>.</summary>
internal sealed class PeerScoreState(byte[] peerId)
{
    public byte[] PeerId { get; } = peerId;
    public bool Connected;
    /// <summary>When a disconnected peer's state is forgotten.</summary>
    public long ExpiresAt;
    public string? Address;
    public double BehaviourPenalty;
    /// <summary>Per-topic counters, keyed by topic name, only for topics that have score parameters.</summary>
    public Dictionary<string, TopicPeerStats> Topics { get; } = new(StringComparer.Ordinal);
}
