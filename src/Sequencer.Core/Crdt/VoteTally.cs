using Sequencer.Core.Wire;

namespace Sequencer.Core.Crdt;

/// <summary>
/// The weighted tally a <see cref="VoteSet"/> keeps beside its votes, updated with <see cref="Interlocked"/> only.
/// It changes solely through the transitions of <see cref="VoterSlot"/>, which guarantee that every voter's weight is
/// added at most once, to one side, and removed again at most once (after it was added) when the voter turns out to
/// be an equivocator. At quiescence it therefore equals the weight recomputed from the set.
/// </summary>
internal sealed class VoteTally : IWeightTally
{
    private readonly ulong _totalWeight;
    private ulong _acceptWeight;
    private ulong _rejectWeight;
    private ulong _equivocatorWeight;
    private int _acceptVoters;
    private int _rejectVoters;
    private int _equivocators;

    public VoteTally(ulong totalWeight) => _totalWeight = totalWeight;

    /// <summary>Adds a voter's weight to one side; returns that side's weight after the addition.</summary>
    public ulong Add(Decision decision, ulong weight)
    {
        if (decision == Decision.Accept)
        {
            Interlocked.Increment(ref _acceptVoters);
            return Interlocked.Add(ref _acceptWeight, weight);
        }
        Interlocked.Increment(ref _rejectVoters);
        return Interlocked.Add(ref _rejectWeight, weight);
    }

    /// <summary>
    /// Takes back a weight <see cref="Add"/> put on <paramref name="decision"/>'s side and books it as an
    /// equivocator's. Subtraction is addition of the two's complement: exact, because the addition happened first.
    /// </summary>
    public void MoveToEquivocators(Decision decision, ulong weight)
    {
        if (decision == Decision.Accept)
        {
            Interlocked.Decrement(ref _acceptVoters);
            Interlocked.Add(ref _acceptWeight, 0UL - weight);
        }
        else
        {
            Interlocked.Decrement(ref _rejectVoters);
            Interlocked.Add(ref _rejectWeight, 0UL - weight);
        }
        Interlocked.Increment(ref _equivocators);
        Interlocked.Add(ref _equivocatorWeight, weight);
    }

    public VoteTallySnapshot Read() => new(
        Volatile.Read(ref _acceptWeight),
        Volatile.Read(ref _rejectWeight),
        Volatile.Read(ref _acceptVoters),
        Volatile.Read(ref _rejectVoters),
        Volatile.Read(ref _equivocators),
        Volatile.Read(ref _equivocatorWeight),
        _totalWeight);
}
