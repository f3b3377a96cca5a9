namespace Sequencer.Host.Cluster;

/// <summary>How a round ended, as its sequencer's <c>outcome</c> event reports it.</summary>
internal enum RoundOutcomeKind
{
    Accepted,
    Rejected,
    TimedOut,
}
