namespace Sequencer.Core.Safety;

/// <summary>
/// The records of one kind, per chain, with the bounded window both stores share (so the simulation's store prunes
/// exactly like the file). Per chain it keeps the <c>retainedHeights</c> highest heights that were signed and a
/// <em>floor</em>: one above the highest height ever pruned. Heights below the floor are answered
/// <see cref="SafetyLookupStatus.BelowTrackedHeights"/> — a pruned record is indistinguishable from "never signed",
/// so that answer is what keeps S1/S2 true after pruning.
/// </summary>
/// <remarks>
/// Out-of-order heights are fine (several rounds run at once): a record below every retained one is inserted and,
/// if the window is full, is itself the one pruned, raising the floor past it. The window only limits how far back
/// a node can still sign — with rounds of at most 20 s and blocks every few seconds, a few heights are live at once;
/// the round layer must not ask to sign at heights far above the chain's tip (its block validator is the gate),
/// since such records would push the floor up past honest heights.
/// </remarks>
internal sealed class SafetyRecordTable
{
    private readonly SortedList<ulong, ChainRecords> _chains = [];

    public int ChainCount => _chains.Count;

    public int RecordCount { get; private set; }

    public SafetyLookup Find(ulong chainId, ulong height)
    {
        if (!_chains.TryGetValue(chainId, out var chain))
            return SafetyLookup.Absent;
        if (height < chain.Floor)
            return SafetyLookup.BelowTrackedHeights(chain.Floor);
        return chain.Records.TryGetValue(height, out var record) ? SafetyLookup.Found(record) : SafetyLookup.Absent;
    }

    /// <exception cref="InvalidOperationException">The height already has a record or is below the floor.</exception>
    public void Add(in SafetyRecord record, int retainedHeights)
    {
        if (!_chains.TryGetValue(record.ChainId, out var chain))
        {
            chain = new ChainRecords();
            _chains.Add(record.ChainId, chain);
        }
        if (record.Height < chain.Floor)
            throw new InvalidOperationException(
                $"chain {record.ChainId} height {record.Height} is below the lowest tracked height {chain.Floor}");
        if (!chain.Records.TryAdd(record.Height, record))
            throw new InvalidOperationException(
                $"chain {record.ChainId} height {record.Height} already has a record; safety records are never replaced");
        RecordCount++;
        while (chain.Records.Count > retainedHeights)
        {
            chain.Floor = chain.Records.Keys[0] + 1;
            chain.Records.RemoveAt(0);
            RecordCount--;
        }
    }

    public bool HasChain(ulong chainId) => _chains.ContainsKey(chainId);

    /// <summary>Restores a chain's floor while loading a file (before its records).</summary>
    public void RestoreFloor(ulong chainId, ulong floor) => _chains.Add(chainId, new ChainRecords { Floor = floor });

    /// <summary>Restores one record while loading a file; the loader has checked order, floor and uniqueness.</summary>
    public void RestoreRecord(in SafetyRecord record)
    {
        _chains[record.ChainId].Records.Add(record.Height, record);
        RecordCount++;
    }

    /// <summary>Chains in ascending id order, with their floors.</summary>
    public IEnumerable<(ulong ChainId, ulong Floor)> Floors()
    {
        foreach (var (chainId, chain) in _chains)
            yield return (chainId, chain.Floor);
    }

    /// <summary>Records in ascending (chainId, height) order.</summary>
    public IEnumerable<SafetyRecord> Records()
    {
        foreach (var chain in _chains.Values)
            foreach (var record in chain.Records.Values)
                yield return record;
    }

    private sealed class ChainRecords
    {
        public ulong Floor;
        public readonly SortedList<ulong, SafetyRecord> Records = [];
    }
}
