using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Host.Metrics;

/// <summary>
/// Feeds <see cref="SequencerMetrics"/> from a node's observer hooks. Called on the node's loop only (one thread), so
/// the start times of the rounds this node is sequencing need no lock; the counters themselves are thread-safe for
/// the scraper. Each started round has exactly one outcome, so the start-time table holds only rounds in flight.
/// </summary>
internal sealed class MetricsObserver(SequencerMetrics metrics, TimeProvider time) : IConsensusObserver
{
    private readonly Dictionary<RoundId, long> _sequencingSince = [];

    public void OnRoleStarted(RoundId round, RoundRoles role)
    {
        if ((role & RoundRoles.Sequencer) != 0)
            _sequencingSince[round] = time.GetTimestamp();
    }

    public void OnRoundOutcome(RoundOutcome outcome)
    {
        var index = outcome switch
        {
            RoundOutcome.Accepted => SequencerMetrics.Accepted,
            RoundOutcome.Rejected => SequencerMetrics.Rejected,
            _ => SequencerMetrics.TimedOut,
        };
        metrics.Rounds.Increment(index);
        if (_sequencingSince.Remove(outcome.Round, out var started))
            metrics.RoundLatency.Observe(time.GetElapsedTime(started).TotalSeconds);
    }

    public void OnMessageDropped(DropReason reason, int fromValidator)
    {
        if ((uint)reason < (uint)metrics.InvalidMessages.Count)
            metrics.InvalidMessages.Increment((int)reason);
    }

    public void OnVoteRefused(RoundId round, VoteAckStatus status, int voterIndex)
    {
        var index = Array.IndexOf(SequencerMetrics.RejectionReasons, status);
        if (index >= 0)
            metrics.VotesRejected.Increment(index);
    }

    public void OnVotesVerified(RoundId round, int count) => metrics.VotesVerified.Add(count);
}
