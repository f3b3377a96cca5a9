namespace Sequencer.Simulation.Checking;

/// <summary>
/// What the checker found on the wire besides violations: how much Byzantine material there was to refuse. Tests use
/// it to prove that a scenario's adversary really did what it is named for (a scenario whose adversary sent nothing
/// would pass vacuously).
/// </summary>
public sealed record WireEvidence(
    int ValidVotes,
    int InvalidVotes,
    int EquivocatingVoters,
    int ValidCertificates,
    int InvalidCertificates,
    int ConflictingAttesters,
    int ProposalsPerHeightMax,
    long UndecodableMessages)
{
    public override string ToString() =>
        $"votes {ValidVotes} valid / {InvalidVotes} invalid, {EquivocatingVoters} equivocating voters, certificates "
        + $"{ValidCertificates} valid / {InvalidCertificates} invalid, {ConflictingAttesters} attesters of both values, "
        + $"up to {ProposalsPerHeightMax} proposals per height, {UndecodableMessages} undecodable messages";
}
