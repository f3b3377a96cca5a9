using Xunit.Abstractions;

namespace Sequencer.Simulation.Tests.Scenarios;

/// <summary>Crashes and restarts over durable state, rejections, and the mixed scenario.</summary>
public sealed class CrashScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("crashes")]
    [InlineData("crashes-inside-writes")]
    [InlineData("crashing-sequencers")]
    [InlineData("rejections")]
    [InlineData("mixed")]
    public void EverySeedIsSafeAndLiveWhereItMustBe(string scenario) => ScheduleSweep.Run(scenario, output);
}
