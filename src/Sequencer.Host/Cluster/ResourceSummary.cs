namespace Sequencer.Host.Cluster;

/// <summary>
/// What the cluster's nodes cost (issue 5: "the binary's size, start-up time and memory per node"): each node process's
/// time from exec to its <c>ready</c> event, its resident memory (now and peak) just before it was stopped, and the
/// cluster process's own memory, which holds the in-process voters.
/// </summary>
/// <param name="BinaryBytes">The size of the executable the nodes run (0 if unknown).</param>
/// <param name="StartUpMs">Exec to <c>ready</c>, milliseconds, one per node start (restarts included).</param>
/// <param name="NodeMemory">One per node process alive at the end.</param>
/// <param name="Cluster">The cluster process, or null when it could not be read.</param>
internal sealed record ResourceSummary(
    long BinaryBytes, IReadOnlyList<double> StartUpMs, IReadOnlyList<ProcessMemory> NodeMemory, ProcessMemory? Cluster)
{
    public double StartUpMedianMs => Median(StartUpMs);

    public double StartUpMaxMs => StartUpMs.Count == 0 ? 0 : StartUpMs.Max();

    public double ResidentMedianBytes => Median([.. NodeMemory.Select(m => (double)m.ResidentBytes)]);

    public double ResidentMaxBytes => NodeMemory.Count == 0 ? 0 : NodeMemory.Max(m => m.ResidentBytes);

    public double PeakMedianBytes => Median([.. NodeMemory.Select(m => (double)m.PeakResidentBytes)]);

    public double PeakMaxBytes => NodeMemory.Count == 0 ? 0 : NodeMemory.Max(m => m.PeakResidentBytes);

    /// <summary>The nearest-rank median (a value some node really had), 0 with no samples.</summary>
    private static double Median(IReadOnlyCollection<double> samples) =>
        samples.Count == 0 ? 0 : LatencySummary.Of(samples).P50;
}
