namespace Sequencer.Simulation.Network;

/// <summary>
/// The network's behaviour for a run: faults for every link by default, overrides per directed link (by host), and
/// partitions that heal at given times.
/// </summary>
public sealed class NetworkFaultModel
{
    private readonly Dictionary<(int From, int To), LinkFaults> _links = [];
    private readonly List<Partition> _partitions = [];

    public LinkFaults Default { get; set; } = LinkFaults.Healthy;

    public IReadOnlyList<Partition> Partitions => _partitions;

    /// <summary>True when no link drops, duplicates or reorders and no partition is ever active.</summary>
    public bool IsHealthy => Default.IsHealthy && _partitions.Count == 0 && _links.Values.All(l => l.IsHealthy);

    /// <summary>True when no link drops, duplicates or reorders and no partition is active between the two instants.</summary>
    public bool IsHealthyBetween(TimeSpan from, TimeSpan to) =>
        Default.IsHealthy && _links.Values.All(l => l.IsHealthy) && !_partitions.Any(p => p.Start < to && p.End > from);

    public void SetLink(int fromHost, int toHost, LinkFaults faults) => _links[(fromHost, toHost)] = faults;

    public void AddPartition(Partition partition) => _partitions.Add(partition);

    public LinkFaults For(int fromHost, int toHost) =>
        _links.TryGetValue((fromHost, toHost), out var faults) ? faults : Default;

    public bool IsCut(int fromHost, int toHost, TimeSpan now)
    {
        foreach (var partition in _partitions)
        {
            if (partition.IsActive(now) && partition.Separates(fromHost, toHost))
                return true;
        }
        return false;
    }

    /// <summary>The instant after which no partition is active any more.</summary>
    public TimeSpan HealedAt => _partitions.Count == 0 ? TimeSpan.Zero : _partitions.Max(p => p.End);

    public override string ToString()
    {
        var parts = new List<string> { $"default {Describe(Default)}" };
        parts.AddRange(_links.OrderBy(l => l.Key).Select(l => $"link {l.Key.From}→{l.Key.To} {Describe(l.Value)}"));
        parts.AddRange(_partitions.Select(p => p.ToString()));
        return string.Join("; ", parts);
    }

    private static string Describe(LinkFaults faults) =>
        $"{faults.Latency} drop {faults.DropProbability:0.##} dup {faults.DuplicateProbability:0.##} reorder {faults.ReorderProbability:0.##}";
}
