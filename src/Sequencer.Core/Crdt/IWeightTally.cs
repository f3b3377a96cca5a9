using Sequencer.Core.Wire;

namespace Sequencer.Core.Crdt;

/// <summary>
/// What <see cref="VoterSlot.Complete"/> does to a tally. An interface rather than <see cref="VoteTally"/> itself so
/// that a test can run the other half of an equivocation inside <see cref="Add"/> — the one interleaving that two
/// threads reach too rarely to test by chance.
/// </summary>
internal interface IWeightTally
{
    /// <summary>Adds a voter's weight to one side; returns that side's weight after the addition.</summary>
    ulong Add(Decision decision, ulong weight);

    /// <summary>Takes back a weight <see cref="Add"/> put on one side and books it as an equivocator's.</summary>
    void MoveToEquivocators(Decision decision, ulong weight);
}
