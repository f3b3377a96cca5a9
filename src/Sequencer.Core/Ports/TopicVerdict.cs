namespace Sequencer.Core.Ports;

/// <summary>A topic validator's answer, with GossipSub's meaning.</summary>
public enum TopicVerdict
{
    /// <summary>Deliver and forward.</summary>
    Accept = 1,

    /// <summary>Drop, do not forward, and penalise the sender's score: the message is invalid and its sender knew it.</summary>
    Reject = 2,

    /// <summary>Drop and do not forward, without penalty (stale, duplicate, not for us).</summary>
    Ignore = 3,
}
