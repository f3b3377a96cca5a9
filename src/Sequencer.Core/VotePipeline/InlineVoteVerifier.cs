using Sequencer.Core.Crypto;
using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>Verification on the caller's thread, on the shared libsecp256k1 context (all its operations are const).</summary>
internal sealed class InlineVoteVerifier : VoteVerifier
{
    public static readonly InlineVoteVerifier Instance = new();

    private InlineVoteVerifier()
    {
    }

    internal override VoteOutcome Verify(RoundVotePipeline pipeline, uint voterIndex, Decision decision, long token) =>
        pipeline.VerifyClaimed(Secp256k1Context.Shared, voterIndex, decision);
}
