using Sequencer.Core.Ports;

namespace Sequencer.Core.Consensus;

/// <summary>Counts dropped messages by reason and tells the observer. Loop-only writes; reads from any thread see a recent value.</summary>
internal sealed class DropCounters(IConsensusObserver observer)
{
    // DropReason.Duplicate is the last reason; a new one goes after it and moves this bound.
    private readonly long[] _counts = new long[(int)DropReason.Duplicate + 1];

    public long this[DropReason reason] => (uint)reason < (uint)_counts.Length ? Volatile.Read(ref _counts[(int)reason]) : 0;

    public void Drop(DropReason reason, int fromValidator)
    {
        Volatile.Write(ref _counts[(int)reason], _counts[(int)reason] + 1);
        observer.OnMessageDropped(reason, fromValidator);
    }
}
