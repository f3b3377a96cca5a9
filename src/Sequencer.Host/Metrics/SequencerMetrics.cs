using Sequencer.Core.Consensus;
using Sequencer.Core.Wire;

namespace Sequencer.Host.Metrics;

/// <summary>
/// The metrics a node exports (DESIGN §7, issue 5). Every series exists as 0 from the start. Labels are fixed sets:
/// <list type="bullet">
/// <item><c>sequencer_rounds_total{outcome="accepted|rejected|timed_out"}</c> (counter): rounds this node started as
/// sequencer, by how they ended — a certificate either way, or the deadline.</item>
/// <item><c>sequencer_round_latency_seconds</c> (histogram): from this node starting a round as sequencer to its
/// outcome, every outcome included (a timed-out round lands near ConsensusTimeout).</item>
/// <item><c>sequencer_votes_verified_total</c> (counter): votes this node, as a buddy, verified and recorded.</item>
/// <item><c>sequencer_votes_rejected_total{reason="invalid_signature|unknown_voter|unknown_round|malformed"}</c>
/// (counter): votes this node, as a buddy, refused (the acknowledgement status it answered).</item>
/// <item><c>sequencer_invalid_messages_total{reason=…}</c> (counter): inbound messages dropped, one reason per
/// <see cref="DropReason"/> in snake_case (malformed, bad_signature, not_in_committee, …).</item>
/// <item><c>sequencer_connected_peers</c> (gauge): peers the libp2p host holds a connection to; set by the network layer.</item>
/// </list>
/// </summary>
internal sealed class SequencerMetrics
{
    /// <summary>Round latency bucket bounds in seconds: fine below a second (the target), coarse up to the 20 s default timeout and beyond.</summary>
    public static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

    /// <summary>The vote refusals a buddy reports (<see cref="Core.Ports.IConsensusObserver.OnVoteRefused"/>), in label order.</summary>
    public static readonly VoteAckStatus[] RejectionReasons =
        [VoteAckStatus.InvalidSignature, VoteAckStatus.UnknownVoter, VoteAckStatus.UnknownRound, VoteAckStatus.Malformed];

    public const int Accepted = 0;
    public const int Rejected = 1;
    public const int TimedOut = 2;

    public SequencerMetrics(MetricsRegistry registry)
    {
        Rounds = registry.Register(new LabeledCounter("sequencer_rounds_total",
            "Rounds this node started as sequencer, by outcome (a certificate accepted or rejected the block, or the deadline passed).",
            "outcome", ["accepted", "rejected", "timed_out"]));
        RoundLatency = registry.Register(new Histogram("sequencer_round_latency_seconds",
            "Seconds from this node starting a round as sequencer to the round's outcome.", LatencyBuckets));
        VotesVerified = registry.Register(new Counter("sequencer_votes_verified_total",
            "Votes this node verified and recorded as a buddy."));
        var rejectionLabels = new string[RejectionReasons.Length];
        for (var index = 0; index < rejectionLabels.Length; index++)
            rejectionLabels[index] = SnakeCase(RejectionReasons[index].ToString());
        VotesRejected = registry.Register(new LabeledCounter("sequencer_votes_rejected_total",
            "Votes this node refused as a buddy, by the reason it answered.", "reason", rejectionLabels));
        var dropReasons = Enum.GetValues<DropReason>();
        var dropLabels = new string[dropReasons.Length];
        foreach (var reason in dropReasons)
            dropLabels[(int)reason] = SnakeCase(reason.ToString());
        InvalidMessages = registry.Register(new LabeledCounter("sequencer_invalid_messages_total",
            "Inbound messages this node dropped, by reason.", "reason", dropLabels));
        ConnectedPeers = registry.Register(new Gauge("sequencer_connected_peers",
            "Peers this node's libp2p host is connected to."));
    }

    /// <summary>Indexed by <see cref="Accepted"/>, <see cref="Rejected"/>, <see cref="TimedOut"/>.</summary>
    public LabeledCounter Rounds { get; }

    public Histogram RoundLatency { get; }

    public Counter VotesVerified { get; }

    /// <summary>Indexed by position in <see cref="RejectionReasons"/>.</summary>
    public LabeledCounter VotesRejected { get; }

    /// <summary>Indexed by <see cref="DropReason"/>.</summary>
    public LabeledCounter InvalidMessages { get; }

    public Gauge ConnectedPeers { get; }

    /// <summary>"InvalidSignature" → "invalid_signature".</summary>
    internal static string SnakeCase(string pascal)
    {
        var text = new System.Text.StringBuilder(pascal.Length + 4);
        for (var index = 0; index < pascal.Length; index++)
        {
            var c = pascal[index];
            if (char.IsAsciiLetterUpper(c))
            {
                if (index > 0)
                    text.Append('_');
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
