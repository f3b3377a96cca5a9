namespace Sequencer.Host.Cluster;

/// <summary>How one cluster round ended.</summary>
internal enum RoundResult
{
    /// <summary>A certificate to accept the block.</summary>
    Accepted,

    /// <summary>A certificate to reject it (the voters judged the block invalid).</summary>
    Rejected,

    /// <summary>The deadline passed without a certificate; the sequencer reported it.</summary>
    TimedOut,

    /// <summary>No outcome at all: the sequencer was killed (on purpose, or it died) or refused the proposal.</summary>
    NoOutcome,
}
