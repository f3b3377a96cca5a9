using Sequencer.Core.Crdt;
using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>
/// What a <see cref="RoundVotePipeline"/> tells its owner. In threaded mode these run on a verification worker: an
/// implementation copies what it needs and posts it onto the owner's event loop, returns quickly and never throws.
/// In inline mode they run on the submitting thread, inside the <c>Submit</c> call.
/// </summary>
public interface IVotePipelineEvents
{
    /// <summary>
    /// A batch of queued votes reached their final outcomes (their effects on the set and tally are already made).
    /// Only votes whose <c>Submit</c> returned <see cref="VoteOutcome.Queued"/> appear here, each exactly once; the
    /// span is valid only during the call.
    /// </summary>
    void OnVotesVerified(RoundVotePipeline pipeline, ReadOnlySpan<VoteVerdict> verdicts);

    /// <summary>
    /// The tally satisfied rule 1 (<paramref name="decision"/> Accept) or rule 2 (Reject) for the first time. Raised at
    /// most once per decision per pipeline, by the vote whose weight crossed the threshold.
    /// </summary>
    void OnQuorumReached(RoundVotePipeline pipeline, Decision decision, VoteTallySnapshot tally);
}
