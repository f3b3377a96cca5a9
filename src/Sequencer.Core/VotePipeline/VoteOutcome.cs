using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>
/// What became of one vote offered to a <see cref="RoundVotePipeline"/>. Every vote ends in exactly one final
/// outcome, counted once in <see cref="VotePipelineCounters"/>; <see cref="Queued"/> only says the final one comes later.
/// </summary>
public enum VoteOutcome : byte
{
    /// <summary>The signature verified; the vote is held and its weight counted.</summary>
    Recorded = 1,

    /// <summary>
    /// The signature verified, but the voter already had the opposite decision verified: both are held as evidence and
    /// the voter's weight now counts for neither side.
    /// </summary>
    Equivocation,

    /// <summary>The same vote was already held or being verified; dropped before any signature work.</summary>
    Duplicate,

    /// <summary>Handed to a verification worker; the final outcome arrives in <see cref="IVotePipelineEvents.OnVotesVerified"/>.</summary>
    Queued,

    /// <summary>The vote's chain, height, block or directory is not this round's.</summary>
    WrongRound,

    /// <summary>The voter index names no validator of the roster.</summary>
    UnknownVoter,

    /// <summary>The signature does not verify under the voter's key for this round.</summary>
    BadSignature,

    /// <summary>The bytes did not decode as a vote (or a delta), or a field is out of range.</summary>
    Malformed,

    /// <summary>
    /// A different signature for the same (voter, decision) is being verified right now — one of the two is a forgery.
    /// Not verified now; offer it again later (the voter falls over to another buddy, anti-entropy re-offers a delta's).
    /// </summary>
    Contended,

    /// <summary>The verification queue is full; offer it again later.</summary>
    Busy,

    /// <summary>The round has been closed.</summary>
    RoundClosed,
}

public static class VoteOutcomeExtensions
{
    /// <summary>The status a buddy acknowledges a direct vote with.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="VoteOutcome.Queued"/> (there is nothing to acknowledge
    /// yet) or an undefined value.</exception>
    public static VoteAckStatus ToAckStatus(this VoteOutcome outcome) => outcome switch
    {
        // Evidence is held like any vote: the voter learns its vote arrived, and it is the one who knows it equivocated.
        VoteOutcome.Recorded or VoteOutcome.Equivocation => VoteAckStatus.Recorded,
        VoteOutcome.Duplicate => VoteAckStatus.Duplicate,
        VoteOutcome.WrongRound => VoteAckStatus.UnknownRound,
        VoteOutcome.UnknownVoter => VoteAckStatus.UnknownVoter,
        VoteOutcome.BadSignature => VoteAckStatus.InvalidSignature,
        VoteOutcome.Malformed => VoteAckStatus.Malformed,
        VoteOutcome.Contended or VoteOutcome.Busy => VoteAckStatus.Busy,
        VoteOutcome.RoundClosed => VoteAckStatus.RoundClosed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "no acknowledgement exists for this outcome"),
    };
}
