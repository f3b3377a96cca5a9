namespace Sequencer.Core.Committee;

/// <summary>Why a committee could not be derived, or a decline could not be applied to it.</summary>
public enum CommitteeError
{
    None = 0,

    /// <summary>The round's chain is not the directory's.</summary>
    WrongChain,

    /// <summary>The message binds a directory hash other than the directory's.</summary>
    WrongDirectory,

    /// <summary>The sequencer index names no validator of the directory.</summary>
    UnknownSequencer,

    /// <summary>The key offered to prove the VRF is not the sequencer's validator key.</summary>
    NotTheSequencersKey,

    /// <summary>π does not verify under the sequencer's key for α: the committee is not the sequencer's to claim.</summary>
    BadProof,

    /// <summary>The directory has no validator besides the sequencer.</summary>
    NoCandidates,

    /// <summary>The committee proof breaks a wire rule (unsorted or repeated declines, a bad reason, …).</summary>
    MalformedProof,

    /// <summary>A reply offered as a decline is malformed (its own wire rules).</summary>
    MalformedDecline,

    /// <summary>A reply offered as a decline is an accept.</summary>
    NotADecline,

    /// <summary>A decline answers another round (chain, height or block).</summary>
    DeclineForAnotherRound,

    /// <summary>A decline binds another directory.</summary>
    DeclineForAnotherDirectory,

    /// <summary>A decline answers an invitation other than the one this committee implies (another π, deadline or sequencer).</summary>
    DeclineForAnotherInvitation,

    /// <summary>A decline's signature does not verify under its buddy's key (unsigned or forged).</summary>
    BadDeclineSignature,

    /// <summary>A decline from a validator the VRF did not draw.</summary>
    DeclineFromNonCandidate,

    /// <summary>Two declines from one buddy.</summary>
    DuplicateDecline,

    /// <summary>A decline from a backup the replacements never reached: it could not have been invited.</summary>
    DeclineNotNeeded,

    /// <summary>More members declined than there are backups to replace them.</summary>
    NotEnoughBackups,
}
