using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>The final outcome of a vote that was <see cref="VoteOutcome.Queued"/>, with the token it was submitted with.</summary>
public readonly record struct VoteVerdict(long Token, uint VoterIndex, Decision Decision, VoteOutcome Outcome);
