namespace Sequencer.Net.PubSub.Scoring;

/// <summary>
/// The peer-wide part of the gossipsub v1.1 score: P₅ (application), P₆ (IP colocation), P₇ (behaviour penalty),
/// the cap of the topic contributions, decay and retention.
/// </summary>
public sealed record PeerScoreParameters
{
    /// <summary>
    /// Parameters for every topic that has none of its own (set through
    /// <see cref="GossipSubRouter.SetTopicScoreParameters"/>); null leaves such topics out of the score. On by
    /// default so that a topic validator's Reject always costs the sender.
    /// </summary>
    public TopicScoreParameters? DefaultTopic { get; init; } = new();

    /// <summary>Upper bound of the summed topic contributions (0 = no cap); penalties are never capped.</summary>
    public double TopicScoreCap { get; init; } = 10;

    /// <summary>P₅: the application's own opinion of a peer (peer id bytes → score), weighted by <see cref="AppSpecificWeight"/>.</summary>
    public Func<ReadOnlyMemory<byte>, double>? AppSpecificScore { get; init; }
    public double AppSpecificWeight { get; init; } = 1;

    /// <summary>
    /// P₆: squared number of peers beyond <see cref="IPColocationFactorThreshold"/> sharing one address (as given to
    /// <see cref="GossipSubRouter.AddPeer"/>). Off (0) by default: the local cluster runs every node on 127.0.0.1.
    /// </summary>
    public double IPColocationFactorWeight { get; init; }
    public int IPColocationFactorThreshold { get; init; } = 10;

    /// <summary>
    /// P₇: squared count, beyond <see cref="BehaviourPenaltyThreshold"/>, of protocol misbehaviour — grafting while
    /// backed off, advertising messages (IHAVE) and then not delivering them (IWANT promises broken).
    /// </summary>
    public double BehaviourPenaltyWeight { get; init; } = -10;
    public double BehaviourPenaltyThreshold { get; init; } = 3;
    public double BehaviourPenaltyDecay { get; init; } = 0.99;

    /// <summary>How often counters decay (and time in mesh is brought up to date).</summary>
    public TimeSpan DecayInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A decayed counter below this value is zero.</summary>
    public double DecayToZero { get; init; } = 0.01;

    /// <summary>How long a disconnected peer's score is remembered, so reconnecting does not wash out penalties.</summary>
    public TimeSpan RetainScore { get; init; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
                throw new ArgumentException($"peer score parameters: {message}");
        }
        Require(TopicScoreCap >= 0, $"TopicScoreCap must be ≥ 0, is {TopicScoreCap}");
        Require(AppSpecificWeight >= 0, $"AppSpecificWeight must be ≥ 0, is {AppSpecificWeight}");
        Require(IPColocationFactorWeight <= 0, $"IPColocationFactorWeight must be ≤ 0, is {IPColocationFactorWeight}");
        Require(IPColocationFactorThreshold >= 1, $"IPColocationFactorThreshold must be ≥ 1, is {IPColocationFactorThreshold}");
        Require(BehaviourPenaltyWeight <= 0, $"BehaviourPenaltyWeight must be ≤ 0, is {BehaviourPenaltyWeight}");
        Require(BehaviourPenaltyThreshold >= 0, $"BehaviourPenaltyThreshold must be ≥ 0, is {BehaviourPenaltyThreshold}");
        Require(BehaviourPenaltyDecay is > 0 and < 1, $"BehaviourPenaltyDecay must lie in (0, 1), is {BehaviourPenaltyDecay}");
        Require(DecayInterval >= TimeSpan.FromMilliseconds(1), $"DecayInterval must be at least 1 ms, is {DecayInterval}");
        Require(DecayToZero is > 0 and < 1, $"DecayToZero must lie in (0, 1), is {DecayToZero}");
        Require(RetainScore >= TimeSpan.Zero, $"RetainScore must not be negative, is {RetainScore}");
        DefaultTopic?.Validate("(default)");
    }
}
