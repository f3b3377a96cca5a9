using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>
/// Where a <see cref="RoundVotePipeline"/>'s signature checks run: <see cref="Inline"/> on the submitting thread (the
/// deterministic simulation), or a <see cref="ThreadedVoteVerifier"/>'s workers (production). Either way a vote
/// reaches the verifier only after its slot was claimed, so each is verified once, and the set and tally end the
/// same for the same votes.
/// </summary>
public abstract class VoteVerifier
{
    private protected VoteVerifier()
    {
    }

    /// <summary>Verifies synchronously inside <c>Submit</c>, which then returns the final outcome.</summary>
    public static VoteVerifier Inline => InlineVoteVerifier.Instance;

    /// <summary>
    /// Verifies the claimed (voter, decision) of <paramref name="pipeline"/> now (returning the final outcome) or later
    /// (returning <see cref="VoteOutcome.Queued"/>, or <see cref="VoteOutcome.Busy"/> when it cannot take more).
    /// </summary>
    internal abstract VoteOutcome Verify(RoundVotePipeline pipeline, uint voterIndex, Decision decision, long token);

    /// <summary>Throws if the verifier can take no more votes; checked before a slot is claimed, so none is left Pending.</summary>
    internal virtual void ThrowIfUnusable()
    {
    }
}
