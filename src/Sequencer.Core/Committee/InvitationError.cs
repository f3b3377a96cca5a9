namespace Sequencer.Core.Committee;

/// <summary>
/// Why a buddy refuses an invitation outright. A refused invitation gets no answer at all — not even a signed decline,
/// because a decline is what lets the sequencer replace the buddy, and signing one for an invitation that cannot be
/// verified would let a faulty sequencer steer the committee.
/// </summary>
public enum InvitationError
{
    None = 0,

    /// <summary>The invitation breaks a wire rule.</summary>
    Malformed,

    /// <summary>The invitation names another validator as the invitee.</summary>
    NotAddressedToMe,

    /// <summary>The round is on another chain than the directory's.</summary>
    WrongChain,

    /// <summary>The invitation binds a directory hash other than this node's directory.</summary>
    WrongDirectory,

    /// <summary>The sequencer index names no validator.</summary>
    UnknownSequencer,

    /// <summary>The deadline has passed by this node's clock.</summary>
    DeadlinePassed,

    /// <summary>The deadline lies further ahead than any honest round's (<see cref="InvitationPolicy.MaximumTimeLeft"/>).</summary>
    DeadlineTooFar,

    /// <summary>The sequencer's signature does not verify.</summary>
    BadSignature,

    /// <summary>π does not verify under the sequencer's key for the round's α.</summary>
    BadProof,

    /// <summary>The VRF did not draw this node, as a main buddy or a backup.</summary>
    NotACandidate,
}
