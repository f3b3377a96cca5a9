namespace Sequencer.Core.Consensus;

/// <summary>How far the sequencer's side of a round has come (DESIGN §3 steps 1–10), in order.</summary>
public enum SequencerStage
{
    /// <summary>The committee is drawn; invitations are out.</summary>
    Inviting,

    /// <summary>Every invitation that matters has been answered or timed out; the topics are being opened.</summary>
    OpeningChannel,

    /// <summary>The proposal is published; attestations are being collected.</summary>
    Proposed,

    /// <summary>A certificate decided the round.</summary>
    Decided,

    /// <summary>The deadline passed without a certificate.</summary>
    TimedOut,
}
