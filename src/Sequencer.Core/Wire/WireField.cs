namespace Sequencer.Core.Wire;

/// <summary>Which field a <see cref="WireResult"/> is about, so logs and metrics say where a message broke.</summary>
public enum WireField : byte
{
    None = 0,
    Version,
    MessageType,
    Round,
    DirectoryHash,
    ParentHash,
    InvitationDigest,
    CommitteeDigest,
    SequencerIndex,
    BuddyIndex,
    VoterIndex,
    AttesterIndex,
    SenderIndex,
    RequesterIndex,
    Decision,
    Answer,
    DeclineReason,
    Deadline,
    VrfProof,
    DeclineCount,
    Declines,
    BlockSummaryLength,
    BlockSummary,
    EntryCount,
    Entries,
    AcceptBitmapLength,
    AcceptBitmap,
    SignerBitmap,
    Status,
    Signature,
    Signatures,
    RejectBitmapLength,
    RejectBitmap,

    /// <summary>A message that names votes (a fetch) names none.</summary>
    WantedVotes,
}
