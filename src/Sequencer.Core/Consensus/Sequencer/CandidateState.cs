using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Sequencer;

/// <summary>What the sequencer knows of one drawn candidate (by draw position) during its round.</summary>
internal sealed class CandidateState(int validatorIndex)
{
    public int ValidatorIndex { get; } = validatorIndex;

    public InvitationStatus Invitation { get; set; } = InvitationStatus.NotInvited;

    /// <summary>The invitation sent, to check the reply against.</summary>
    public Invitation Sent { get; set; }

    public bool PullInFlight { get; set; }

    public bool PullAnswered { get; set; }

    /// <summary>The voters its latest summary claimed (a private copy of the bitmap), or null before any summary.</summary>
    public byte[]? ReportedVoters { get; set; }

    /// <summary>Waiters of <c>Communication.AskForSubscriptionAsync</c> for this candidate.</summary>
    public TaskCompletionSource<InvitationStatus>? Answer { get; set; }
}
