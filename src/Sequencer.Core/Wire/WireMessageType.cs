namespace Sequencer.Core.Wire;

/// <summary>
/// The second byte of every message. Values are never reused: a retired type keeps its number so that an old byte
/// string can never decode as a different new message.
/// </summary>
public enum WireMessageType : byte
{
    Invitation = 0x01,
    InvitationReply = 0x02,
    Proposal = 0x03,
    Vote = 0x04,
    VoteAck = 0x05,
    VoteSetDelta = 0x06,
    VoteSetSummary = 0x07,
    VoteFetch = 0x08,
    Attestation = 0x09,
    Certificate = 0x0A,
}

public static class WireMessageTypeExtensions
{
    public static bool IsDefined(this WireMessageType type) =>
        type is >= WireMessageType.Invitation and <= WireMessageType.Certificate;
}
