namespace Sequencer.Core.Ports;

/// <summary>
/// The sequencer's direct-stream protocols. Each is one request frame answered by one response frame (the wire codec's
/// messages inside <c>WireFrame</c>s); the libp2p adapter maps them to the protocol ids of <see cref="SequencerProtocols"/>.
/// </summary>
public enum SequencerProtocol
{
    /// <summary>Sequencer → main buddy: <c>Invitation</c> answered by a signed <c>InvitationReply</c>.</summary>
    Invitation = 1,

    /// <summary>Voter → buddy: <c>Vote</c> answered by a <c>VoteAck</c>.</summary>
    Vote = 2,

    /// <summary>Anti-entropy and result pulls between committee members and the sequencer: <c>VoteFetch</c> or a round query answered by what the answerer holds.</summary>
    Sync = 3,
}
