using System.Diagnostics;
using Sequencer.Simulation.Scenarios;
using Xunit.Abstractions;

namespace Sequencer.Simulation.Tests.Scenarios;

/// <summary>
/// Runs a scenario's seeded schedules and fails with the first failures' full reports (scenario, seed, replay line,
/// violations, rounds). <c>SEQUENCER_SIM_SEED</c> restricts every scenario to that one seed (replaying a failure);
/// <c>SEQUENCER_SIM_SEED_OFFSET</c> shifts the seeds to explore new schedules.
/// </summary>
internal static class ScheduleSweep
{
    public static void Run(string name, ITestOutputHelper output)
    {
        var (scenario, schedules) = ScenarioCatalog.All.Single(s => s.Scenario.Name == name);
        var seeds = Seeds(schedules);
        var failures = new List<RunReport>();
        var decided = 0;
        var rounds = 0;
        var clock = Stopwatch.StartNew();
        foreach (var seed in seeds)
        {
            var report = SimulationRun.Execute(scenario, seed);
            rounds += report.Rounds.Count;
            decided += report.Rounds.Count(r => r.Outcome?.Value is not null);
            if (!report.Passed)
                failures.Add(report);
        }
        output.WriteLine($"{name}: {seeds.Count} schedules, {rounds} rounds ({decided} decided), {failures.Count} failed, {clock.Elapsed.TotalSeconds:0.0} s");
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} of {seeds.Count} schedules of \"{name}\" failed; seeds {string.Join(", ", failures.Select(f => f.Seed))}\n\n"
                + string.Join("\n", failures.Take(3).Select(f => f.Describe())));
    }

    private static IReadOnlyList<int> Seeds(int schedules)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("SEQUENCER_SIM_SEED"), out var only))
            return [only];
        var offset = int.TryParse(Environment.GetEnvironmentVariable("SEQUENCER_SIM_SEED_OFFSET"), out var o) ? o : 0;
        return Enumerable.Range(1 + offset, schedules).ToArray();
    }
}
