namespace Sequencer.Net.PubSub.Scoring;

/// <summary>The counters behind P₁–P₄ for one peer in one topic.</summary>
internal sealed class TopicPeerStats(TopicScoreParameters parameters)
{
    public TopicScoreParameters Parameters { get; set; } = parameters;
    public bool InMesh;
    public long GraftedAt;
    public bool MeshDeliveriesActive;
    public double FirstMessageDeliveries;
    public double MeshMessageDeliveries;
    public double MeshFailurePenalty;
    public double InvalidMessageDeliveries;

    /// <summary>The P₃ deficit: how far mesh deliveries fall short of the threshold once P₃ is active.</summary>
    public double MeshDeliveryDeficit =>
        MeshDeliveriesActive && MeshMessageDeliveries < Parameters.MeshMessageDeliveriesThreshold
            ? Parameters.MeshMessageDeliveriesThreshold - MeshMessageDeliveries
            : 0;
}
