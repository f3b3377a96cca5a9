namespace Sequencer.Net.PubSub.Scoring;

/// <summary>
/// What a score means (gossipsub v1.1 "Score Thresholds"). Below 0 a peer leaves and stays out of meshes; below
/// <see cref="GossipThreshold"/> no gossip goes to or is taken from it; below <see cref="PublishThreshold"/> our own
/// messages skip it; below <see cref="GraylistThreshold"/> all its RPCs are ignored. Peer exchange is not used, so
/// there is no AcceptPX threshold.
/// </summary>
public sealed record PeerScoreThresholds
{
    public double GossipThreshold { get; init; } = -10;
    public double PublishThreshold { get; init; } = -50;
    public double GraylistThreshold { get; init; } = -80;

    /// <summary>When the median score of a mesh falls below this, better-scoring peers are grafted in (every minute).</summary>
    public double OpportunisticGraftThreshold { get; init; } = 5;

    internal void Validate()
    {
        if (GossipThreshold > 0 || PublishThreshold > GossipThreshold || GraylistThreshold >= PublishThreshold)
            throw new ArgumentException(
                "peer score thresholds must satisfy 0 ≥ gossip ≥ publish > graylist; got gossip "
                + $"{GossipThreshold}, publish {PublishThreshold}, graylist {GraylistThreshold}");
        if (OpportunisticGraftThreshold < 0)
            throw new ArgumentException($"OpportunisticGraftThreshold must be ≥ 0, is {OpportunisticGraftThreshold}");
    }
}
