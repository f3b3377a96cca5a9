namespace Sequencer.Core.Wire;

/// <summary>
/// Why a buddy declines. Each reason is the buddy's own state, never a verdict on the invitation: a buddy that
/// receives an invitation it cannot verify (bad proof, not a member, wrong directory) must not sign anything, because
/// a signed decline is what lets the sequencer replace it — answering a bogus invitation with a signed decline would
/// hand a faulty sequencer the power to steer the committee. <see cref="None"/> goes with an accept, and only there.
/// </summary>
public enum DeclineReason : byte
{
    None = 0,

    /// <summary>Already serving as many rounds as it will.</summary>
    Overloaded = 1,

    /// <summary>Stopping; it would not finish the round.</summary>
    ShuttingDown = 2,

    /// <summary>The round's deadline leaves it too little time.</summary>
    DeadlineTooShort = 3,

    /// <summary>It lacks the parent block or the directory epoch the round builds on.</summary>
    NotSynchronized = 4,
}

public static class DeclineReasonExtensions
{
    /// <summary>A reason that may accompany a decline (every defined reason except <see cref="DeclineReason.None"/>).</summary>
    public static bool IsDeclineReason(this DeclineReason reason) =>
        reason is >= DeclineReason.Overloaded and <= DeclineReason.NotSynchronized;
}
