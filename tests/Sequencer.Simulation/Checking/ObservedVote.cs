using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Checking;

/// <summary>A signed vote as it appeared on the wire (alone in a request, or as an entry of a vote-set delta), not yet verified.</summary>
public readonly record struct ObservedVote(RoundId Round, Hash32 DirectoryHash, uint Voter, Decision Decision, SchnorrSignature Signature)
{
    public Vote ToVote() => new()
    {
        Round = Round,
        DirectoryHash = DirectoryHash,
        VoterIndex = Voter,
        Decision = Decision,
        Signature = Signature,
    };
}
