namespace Sequencer.Core.VotePipeline;

/// <summary>
/// What became of a <c>VoteSetDelta</c> offered to a <see cref="RoundVotePipeline"/>: either the whole delta was refused
/// (<see cref="Refusal"/>: malformed, another round, round closed) or each entry went its own way, summed here.
/// </summary>
/// <param name="Refusal">Set when no entry was looked at.</param>
/// <param name="Recorded">Entries verified and counted.</param>
/// <param name="Equivocations">Entries verified as a voter's second, conflicting vote.</param>
/// <param name="Duplicates">Entries already held or being verified (no signature work).</param>
/// <param name="Queued">Entries handed to workers (final outcomes through <see cref="IVotePipelineEvents"/>).</param>
/// <param name="Rejected">Entries with a bad signature or an unknown voter: the sender relayed what no honest replica holds.</param>
/// <param name="Deferred">Entries contended or refused for a full queue: anti-entropy offers them again.</param>
public readonly record struct DeltaSubmission(
    VoteOutcome? Refusal, int Recorded, int Equivocations, int Duplicates, int Queued, int Rejected, int Deferred)
{
    internal static DeltaSubmission Refused(VoteOutcome refusal) => new(refusal, 0, 0, 0, 0, 0, 0);
}
