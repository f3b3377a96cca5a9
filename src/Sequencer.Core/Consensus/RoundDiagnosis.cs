using System.Collections.Immutable;

namespace Sequencer.Core.Consensus;

/// <summary>
/// Why a round timed out, as far as its sequencer can tell: every drawn candidate's report, how many attestations of
/// each value arrived against the number a certificate needs, and how much weight the buddies said they held votes of.
/// </summary>
/// <param name="Stage">How far the round came before the deadline.</param>
/// <param name="CommitteeSize">Members serving (0 when the round never got past the invitations).</param>
/// <param name="SignersNeeded">Attestations of one value a certificate needs: ⌊2n/3⌋ + 1.</param>
/// <param name="AcceptAttestations">Verified Accept attestations received.</param>
/// <param name="RejectAttestations">Verified Reject attestations received.</param>
/// <param name="Candidates">Every drawn candidate in draw order.</param>
/// <param name="ReportedVoters">Distinct voters some buddy's summary claimed to hold (unverified: summaries are unsigned).</param>
/// <param name="ReportedVotedWeight">Their weight.</param>
/// <param name="TotalWeight"><c>W</c>, the directory's total weight.</param>
public sealed record RoundDiagnosis(
    SequencerStage Stage,
    int CommitteeSize,
    int SignersNeeded,
    int AcceptAttestations,
    int RejectAttestations,
    ImmutableArray<BuddyReport> Candidates,
    int ReportedVoters,
    ulong ReportedVotedWeight,
    ulong TotalWeight)
{
    /// <summary>The members that never answered in any way.</summary>
    public IEnumerable<BuddyReport> SilentMembers
    {
        get
        {
            foreach (var candidate in Candidates)
            {
                if (candidate.IsMember && candidate.NeverAnswered)
                    yield return candidate;
            }
        }
    }

    public override string ToString() =>
        $"timed out at {Stage}: {AcceptAttestations} accept / {RejectAttestations} reject attestations of {SignersNeeded} needed "
        + $"from {CommitteeSize} members; buddies reported {ReportedVoters} voters, weight {ReportedVotedWeight} of {TotalWeight}";
}
