namespace Sequencer.Core.Consensus;

/// <summary>Where one drawn candidate's invitation stands, as the sequencer saw it.</summary>
public enum InvitationStatus
{
    /// <summary>Not invited: a backup no decline reached.</summary>
    NotInvited,

    /// <summary>Invited; no answer yet.</summary>
    Pending,

    /// <summary>Answered with a verified, signed accept.</summary>
    Accepted,

    /// <summary>Answered with a verified, signed decline: the next backup took its slot, or, with no backup left, it stayed in as if silent.</summary>
    Declined,

    /// <summary>
    /// No usable answer (timeout, unreachable, or a reply that did not verify). It stays in the committee: only its own
    /// signed decline can remove it.
    /// </summary>
    Silent,
}
