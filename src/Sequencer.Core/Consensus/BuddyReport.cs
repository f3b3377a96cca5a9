using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// One drawn candidate as the sequencer saw it by the deadline: its invitation, whether it serves, what it attested,
/// and what it said when its results were pulled.
/// </summary>
/// <param name="ValidatorIndex">Its directory index.</param>
/// <param name="Position">Its draw position (0 … 22, mains first): what a certificate's signer bitmap names it by.</param>
/// <param name="IsMember">Whether it serves in the committee the proposal carried.</param>
/// <param name="Invitation">How its invitation ended.</param>
/// <param name="Attested">The value of its verified attestation, or null when none reached the sequencer.</param>
/// <param name="PullAnswered">Whether it answered the sequencer's result pull (false when it was never pulled or stayed silent).</param>
/// <param name="ReportedVoters">Voters its latest summary said it holds, or −1 when it sent none.</param>
public readonly record struct BuddyReport(
    int ValidatorIndex, int Position, bool IsMember, InvitationStatus Invitation, Decision? Attested, bool PullAnswered,
    int ReportedVoters)
{
    /// <summary>Never heard from in any way: no answer to the invitation, no attestation, no summary, no pull answer.</summary>
    public bool NeverAnswered =>
        Invitation is InvitationStatus.Silent or InvitationStatus.Pending && Attested is null && !PullAnswered && ReportedVoters < 0;
}
