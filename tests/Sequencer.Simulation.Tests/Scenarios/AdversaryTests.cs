using Sequencer.Simulation.Checking;
using Sequencer.Simulation.Scenarios;

namespace Sequencer.Simulation.Tests.Scenarios;

/// <summary>
/// Each Byzantine scenario's adversary really does what it is named for — otherwise its schedules would pass
/// vacuously. Judged from what the checker found on the wire over a few seeds.
/// </summary>
public sealed class AdversaryTests
{
    public static TheoryData<string, string> Adversaries => new()
    {
        { "equivocating-voter", nameof(WireEvidence.EquivocatingVoters) },
        { "equivocating-buddy", nameof(WireEvidence.ConflictingAttesters) },
        { "forged-signatures", nameof(WireEvidence.InvalidVotes) },
        { "forged-signatures", nameof(WireEvidence.InvalidCertificates) },
        { "replayed-votes", nameof(WireEvidence.InvalidVotes) },
        { "garbage", nameof(WireEvidence.UndecodableMessages) },
        { "two-faced-sequencer", nameof(WireEvidence.ProposalsPerHeightMax) },
        { "double-proposals", nameof(WireEvidence.ProposalsPerHeightMax) },
        { "twins", nameof(WireEvidence.EquivocatingVoters) },
    };

    [Theory]
    [MemberData(nameof(Adversaries))]
    public void TheAdversaryLeavesItsMarkOnTheWire(string scenario, string evidence)
    {
        var total = 0L;
        for (var seed = 1; seed <= 5; seed++)
        {
            var report = SimulationRun.Execute(ScenarioCatalog.Get(scenario), seed);
            total += evidence switch
            {
                nameof(WireEvidence.EquivocatingVoters) => report.Evidence.EquivocatingVoters,
                nameof(WireEvidence.ConflictingAttesters) => report.Evidence.ConflictingAttesters,
                nameof(WireEvidence.InvalidVotes) => report.Evidence.InvalidVotes,
                nameof(WireEvidence.InvalidCertificates) => report.Evidence.InvalidCertificates,
                nameof(WireEvidence.UndecodableMessages) => report.Evidence.UndecodableMessages,
                nameof(WireEvidence.ProposalsPerHeightMax) => report.Evidence.ProposalsPerHeightMax - 1,
                _ => throw new ArgumentOutOfRangeException(nameof(evidence), evidence, "no such evidence"),
            };
        }
        Assert.True(total > 0, $"{scenario}: no {evidence} in 5 seeds");
    }

    [Fact]
    public void AHonestRunLeavesNoneOfThatMark()
    {
        var report = SimulationRun.Execute(ScenarioCatalog.Get("healthy"), 3);

        Assert.Equal((0, 0, 0, 0, 0L, 1), (report.Evidence.InvalidVotes, report.Evidence.EquivocatingVoters,
            report.Evidence.InvalidCertificates, report.Evidence.ConflictingAttesters, report.Evidence.UndecodableMessages,
            report.Evidence.ProposalsPerHeightMax));
    }
}
