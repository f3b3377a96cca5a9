namespace Sequencer.Net.PubSub.Scoring;

/// <summary>
/// How a peer's behaviour in one topic adds to its score (gossipsub v1.1, "The Score Function"). Decays apply once
/// per <see cref="PeerScoreParameters.DecayInterval"/>.
/// <para>
/// The defaults suit the sequencer's per-round topics: a few messages per round in bursts, so the mesh-delivery-rate
/// terms (P₃, P₃b) are off, and what counts is an invalid message (P₄). With the default thresholds one invalid
/// message takes even a peer at the positive cap below 0 (pruned from meshes), two take it near the publish
/// threshold and three below the graylist threshold (its RPCs ignored); the penalty halves in about 70 s.
/// </para>
/// </summary>
public sealed record TopicScoreParameters
{
    /// <summary>How much the topic's score counts in the peer's score.</summary>
    public double TopicWeight { get; init; } = 1.0;

    /// <summary>P₁, time in mesh: a small reward for staying grafted (here at most +3 after 5 minutes).</summary>
    public double TimeInMeshWeight { get; init; } = 0.01;
    public TimeSpan TimeInMeshQuantum { get; init; } = TimeSpan.FromSeconds(1);
    public double TimeInMeshCap { get; init; } = 300;

    /// <summary>P₂, first message deliveries: reward for being first with a valid message (here at most +5).</summary>
    public double FirstMessageDeliveriesWeight { get; init; } = 1.0;
    public double FirstMessageDeliveriesDecay { get; init; } = 0.9;
    public double FirstMessageDeliveriesCap { get; init; } = 5;

    /// <summary>P₃, mesh message delivery rate: squared deficit below the threshold (weight ≤ 0; 0 = off).</summary>
    public double MeshMessageDeliveriesWeight { get; init; }
    public double MeshMessageDeliveriesDecay { get; init; } = 0.9;
    public double MeshMessageDeliveriesThreshold { get; init; } = 1;
    public double MeshMessageDeliveriesCap { get; init; } = 10;
    /// <summary>How long a peer must be in the mesh before P₃ applies.</summary>
    public TimeSpan MeshMessageDeliveriesActivation { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How soon after the first delivery a duplicate still counts as a (near-first) mesh delivery.</summary>
    public TimeSpan MeshMessageDeliveryWindow { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>P₃b, mesh failure penalty: the deficit carried over when a peer is pruned (weight ≤ 0; 0 = off).</summary>
    public double MeshFailurePenaltyWeight { get; init; }
    public double MeshFailurePenaltyDecay { get; init; } = 0.9;

    /// <summary>P₄, invalid messages: squared count of messages its validator rejected (weight &lt; 0).</summary>
    public double InvalidMessageDeliveriesWeight { get; init; } = -20;
    public double InvalidMessageDeliveriesDecay { get; init; } = 0.99;

    internal void Validate(string name)
    {
        static void Require(bool condition, string topic, string message)
        {
            if (!condition)
                throw new ArgumentException($"topic score parameters of {topic}: {message}");
        }
        Require(TopicWeight >= 0, name, $"TopicWeight must be ≥ 0, is {TopicWeight}");
        Require(TimeInMeshWeight >= 0, name, $"TimeInMeshWeight must be ≥ 0, is {TimeInMeshWeight}");
        Require(TimeInMeshQuantum > TimeSpan.Zero, name, $"TimeInMeshQuantum must be positive, is {TimeInMeshQuantum}");
        Require(TimeInMeshCap >= 0, name, $"TimeInMeshCap must be ≥ 0, is {TimeInMeshCap}");
        Require(FirstMessageDeliveriesWeight >= 0, name, $"FirstMessageDeliveriesWeight must be ≥ 0, is {FirstMessageDeliveriesWeight}");
        Require(FirstMessageDeliveriesCap >= 0, name, $"FirstMessageDeliveriesCap must be ≥ 0, is {FirstMessageDeliveriesCap}");
        Require(MeshMessageDeliveriesWeight <= 0, name, $"MeshMessageDeliveriesWeight must be ≤ 0, is {MeshMessageDeliveriesWeight}");
        Require(MeshMessageDeliveriesThreshold >= 0, name, $"MeshMessageDeliveriesThreshold must be ≥ 0, is {MeshMessageDeliveriesThreshold}");
        Require(MeshMessageDeliveriesCap >= MeshMessageDeliveriesThreshold, name,
            $"MeshMessageDeliveriesCap ({MeshMessageDeliveriesCap}) must be ≥ the threshold ({MeshMessageDeliveriesThreshold})");
        Require(MeshFailurePenaltyWeight <= 0, name, $"MeshFailurePenaltyWeight must be ≤ 0, is {MeshFailurePenaltyWeight}");
        Require(InvalidMessageDeliveriesWeight <= 0, name, $"InvalidMessageDeliveriesWeight must be ≤ 0, is {InvalidMessageDeliveriesWeight}");
        foreach (var (decay, label) in new[]
        {
            (FirstMessageDeliveriesDecay, nameof(FirstMessageDeliveriesDecay)),
            (MeshMessageDeliveriesDecay, nameof(MeshMessageDeliveriesDecay)),
            (MeshFailurePenaltyDecay, nameof(MeshFailurePenaltyDecay)),
            (InvalidMessageDeliveriesDecay, nameof(InvalidMessageDeliveriesDecay)),
        })
            Require(decay is > 0 and < 1, name, $"{label} must lie in (0, 1), is {decay}");
    }
}
