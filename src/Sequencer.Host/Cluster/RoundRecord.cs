namespace Sequencer.Host.Cluster;

/// <summary>One round the cluster drove.</summary>
/// <param name="Round">1-based, in the order driven.</param>
/// <param name="Sequencer">The process node that proposed.</param>
/// <param name="LatencyMs">From the sequencer's <c>outcome</c>: start of the round to its outcome.</param>
/// <param name="Signers">Attestations in the certificate.</param>
/// <param name="Committee">Main buddies drawn (from the <c>committee</c> event).</param>
/// <param name="ShouldDecide">False only for a round whose sequencer the cluster killed on purpose.</param>
/// <param name="Note">What happened besides the outcome (faults, a diagnosis, an error).</param>
internal sealed record RoundRecord(
    int Round, ulong Height, int Sequencer, RoundResult Result, double? LatencyMs, int? Signers, int? Committee,
    bool ShouldDecide, string? Note)
{
    public bool Decided => Result is RoundResult.Accepted or RoundResult.Rejected;

    /// <summary>A round that should have decided and did not: what makes the run fail.</summary>
    public bool Failed => ShouldDecide && !Decided;
}
