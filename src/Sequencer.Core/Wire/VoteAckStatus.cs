namespace Sequencer.Core.Wire;

/// <summary>
/// A buddy's answer to a vote sent over a direct stream. The voter uses it to decide whether to fall over to the next
/// buddy (<see cref="NotAssigned"/>, <see cref="Busy"/>) or stop (everything else).
/// </summary>
public enum VoteAckStatus : byte
{
    /// <summary>The signature verified and the vote is held in the round's vote set.</summary>
    Recorded = 1,

    /// <summary>The buddy already held this voter's vote; nothing changed.</summary>
    Duplicate = 2,

    /// <summary>The signature does not verify for this voter and round.</summary>
    InvalidSignature = 3,

    /// <summary>The buddy runs no round with these chain, height, block and directory.</summary>
    UnknownRound = 4,

    /// <summary>The voter index names no validator of the round's directory.</summary>
    UnknownVoter = 5,

    /// <summary>This buddy is not the one the voter should use; try the next.</summary>
    NotAssigned = 6,

    /// <summary>The buddy is overloaded right now; try the next.</summary>
    Busy = 7,

    /// <summary>The round has already ended (decided or timed out).</summary>
    RoundClosed = 8,

    /// <summary>The frame did not decode as a vote.</summary>
    Malformed = 9,
}

public static class VoteAckStatusExtensions
{
    public static bool IsDefined(this VoteAckStatus status) =>
        status is >= VoteAckStatus.Recorded and <= VoteAckStatus.Malformed;
}
