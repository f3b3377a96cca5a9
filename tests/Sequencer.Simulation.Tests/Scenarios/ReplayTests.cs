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
}
