using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>
/// One claimed vote waiting for a worker. The signature is not copied here: it already sits in the voter's slot,
/// written by the claimant before the job was queued, and stays put until the job completes or releases it.
/// </summary>
internal readonly struct VerificationJob(RoundVotePipeline pipeline, uint voterIndex, Decision decision, long token)
{
    public RoundVotePipeline Pipeline { get; } = pipeline;

    public uint VoterIndex { get; } = voterIndex;

    public Decision Decision { get; } = decision;

    public long Token { get; } = token;
}
