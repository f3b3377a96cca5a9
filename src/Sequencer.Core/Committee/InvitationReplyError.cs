namespace Sequencer.Core.Committee;

/// <summary>Why the sequencer does not take a buddy's reply as the answer to its invitation.</summary>
public enum InvitationReplyError
{
    None = 0,

    /// <summary>The reply breaks a wire rule.</summary>
    Malformed,

    /// <summary>The reply names another round.</summary>
    WrongRound,

    /// <summary>The reply binds another directory.</summary>
    WrongDirectory,

    /// <summary>The reply is signed as another buddy than the one invited.</summary>
    WrongBuddy,

    /// <summary>The reply answers another invitation (its invitation digest is not this invitation's).</summary>
    WrongInvitation,

    /// <summary>The reply's signature does not verify under the buddy's validator key.</summary>
    BadSignature,
}
