using Sequencer.Core.Consensus;
using Sequencer.Simulation.Nodes;
using Sequencer.Simulation.Scenarios;

namespace Sequencer.Simulation.Tests.Scenarios;

public sealed class ReplayTests
{
    public static TheoryData<string> Names => new(ScenarioCatalog.All.Select(s => s.Scenario.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void TheSameSeedGivesTheSameEventTraceAndTheSameVerdict(string name)
    {
        var scenario = ScenarioCatalog.Get(name);
        var first = SimulationRun.Execute(scenario, 4242);
        var again = SimulationRun.Execute(scenario, 4242);

        Assert.Equal(first.TraceHash, again.TraceHash);
        Assert.Equal(first.Events, again.Events);
        Assert.Equal(first.Describe(), again.Describe());
    }

    [Fact]
    public void DifferentSeedsGiveDifferentSchedules()
    {
        var scenario = ScenarioCatalog.Get("lossy");
        var hashes = Enumerable.Range(1, 6).Select(seed => SimulationRun.Execute(scenario, seed).TraceHash).ToHashSet();
        Assert.Equal(6, hashes.Count);
    }

    [Fact]
    public void AHealthyRunDecidesEveryRoundAndShowsItsWork()
    {
        var report = SimulationRun.Execute(ScenarioCatalog.Get("healthy"), 1);

        Assert.True(report.Passed, report.Describe());
        Assert.Equal(2, report.Rounds.Count);
        Assert.All(report.Rounds, r => Assert.NotNull(r.Outcome?.Value));
        Assert.All(report.Rounds, r => Assert.Null(r.LivenessExemption));
    }

    [Fact]
    public void TheCallersTaskCompletesInsideTheSimulationWithTheOutcomeTheNodeReported()
    {
        using var validators = ValidatorSet.Generate(new Random(5), Enumerable.Repeat(1UL, 20).ToArray(), SimulationRun.ChainId);
        var round = new SingleRound(validators, ConsensusOptions.Default with { MaxMainPeers = 7, MaxBackupPeers = 3 }, 5);

        var result = round.Run();

        // Completed by the event that produced the outcome: nothing was left to a thread-pool continuation.
        Assert.NotNull(result.Outcome);
        Assert.True(round.OutcomeTask!.IsCompletedSuccessfully);
#pragma warning disable xUnit1031 // the task has already completed (asserted above): reading its result cannot block
        Assert.Same(result.Outcome, round.OutcomeTask.Result);
#pragma warning restore xUnit1031
        Assert.InRange(result.VirtualLatency, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
    }
}
