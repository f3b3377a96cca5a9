namespace Sequencer.Core.Committee;

/// <summary>What a buddy does with an invitation.</summary>
public enum InvitationVerdictKind
{
    /// <summary>The invitation cannot be verified: send nothing (see <see cref="InvitationError"/>).</summary>
    Refuse,

    /// <summary>Answer with a signed accept and serve the round.</summary>
    Accept,

    /// <summary>Answer with a signed decline carrying <see cref="InvitationVerdict.Reason"/>.</summary>
    Decline,
}
