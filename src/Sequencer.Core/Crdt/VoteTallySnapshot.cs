using Sequencer.Core.Consensus;

namespace Sequencer.Core.Crdt;

/// <summary>
/// A reading of a vote set's weighted tally. Each field is exact at the moment it was read; while votes are still
/// being folded in on other threads the fields may come from slightly different moments (the tally is lock-free),
/// so decisions are taken on the weight the crossing vote itself produced, not on a snapshot.
/// </summary>
/// <param name="AcceptWeight">Weight of voters whose only verified vote is Accept.</param>
/// <param name="RejectWeight">Weight of voters whose only verified vote is Reject.</param>
/// <param name="AcceptVoters">How many voters that is for Accept.</param>
/// <param name="RejectVoters">How many voters that is for Reject.</param>
/// <param name="Equivocators">Voters with a verified Accept and a verified Reject: counted on neither side.</param>
/// <param name="EquivocatorWeight">Their weight.</param>
/// <param name="TotalWeight"><c>W</c>, the directory's total weight.</param>
public readonly record struct VoteTallySnapshot(
    ulong AcceptWeight,
    ulong RejectWeight,
    int AcceptVoters,
    int RejectVoters,
    int Equivocators,
    ulong EquivocatorWeight,
    ulong TotalWeight)
{
    /// <summary>Rule 1 (<see cref="QuorumRules.IsAcceptQuorum"/>) on this reading.</summary>
    public bool HasAcceptQuorum => QuorumRules.IsAcceptQuorum(AcceptWeight, TotalWeight);

    /// <summary>Rule 2 (<see cref="QuorumRules.IsRejectQuorum"/>) on this reading.</summary>
    public bool HasRejectQuorum => QuorumRules.IsRejectQuorum(RejectWeight, TotalWeight);

    /// <summary>Weight of every voter whose vote is held, equivocators included.</summary>
    public ulong VotedWeight => AcceptWeight + RejectWeight + EquivocatorWeight;
}
