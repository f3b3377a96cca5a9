namespace Sequencer.Core.Wire;

/// <summary>
/// The protocol's hard bounds. Every variable-length part of every message has one, so a decoder never reserves or
/// scans more than a known amount for any input, and every message has a maximum size the frame codec can enforce
/// before a byte of payload is buffered. Configuration (MaxMainPeers, MaxBackupPeers) may choose smaller values but
/// never larger ones: these are what other nodes will accept.
/// </summary>
public static class WireLimits
{
    /// <summary>
    /// Validators in one directory epoch. Indices are u32 on the wire (room to grow in a later version) but must be
    /// below this bound, which keeps a full vote bitmap at 8 KiB.
    /// </summary>
    public const int MaxValidators = 65_536;

    /// <summary>Main buddies per round (DESIGN §2).</summary>
    public const int MaxMainPeers = 13;

    /// <summary>Ordered backups per round (DESIGN §2).</summary>
    public const int MaxBackupPeers = 10;

    /// <summary>
    /// Committee positions: the candidate list the VRF draws, mains first, then backups. A certificate's signer
    /// bitmap is over these positions, so it fits in 3 bytes.
    /// </summary>
    public const int MaxCommitteeCandidates = MaxMainPeers + MaxBackupPeers;

    /// <summary>
    /// Signed declines in one committee proof. Any candidate can decline once it is invited — a main, or a backup
    /// promoted to replace a main — so the bound is the whole candidate list, not just the 13 mains.
    /// </summary>
    public const int MaxDeclines = MaxCommitteeCandidates;

    /// <summary>
    /// The proposal's opaque block summary: the block itself travels elsewhere; the summary carries what voters and
    /// buddies need to identify it (number, roots, counts), which a dozen 32-byte fields cover with room to spare.
    /// </summary>
    public const int MaxBlockSummaryLength = 1024;

    /// <summary>
    /// Entries in one vote-set delta (69 bytes each, about 69 KiB): far below GossipSub's 1 MiB message limit and
    /// small enough that a receiver verifies one delta in well under a second, so a flood of deltas is paced by
    /// signature work rather than buffered. A buddy holding more sends several deltas.
    /// </summary>
    public const int MaxVoteSetDeltaEntries = 1024;

    /// <summary>A bitmap over validator indices, one bit each: 8 KiB for <see cref="MaxValidators"/>.</summary>
    public const int MaxVoterBitmapLength = MaxValidators / 8;

    /// <summary>The largest message of any type (a full <see cref="VoteSetDelta"/>): the default frame bound.</summary>
    public const int MaxMessageLength = VoteSetDelta.MaxEncodedLength;
}
