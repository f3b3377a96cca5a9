using Xunit.Abstractions;

namespace Sequencer.Simulation.Tests.Scenarios;

/// <summary>Healthy, slow, lossy and partitioned networks (one xunit collection, so it runs beside the others).</summary>
public sealed class NetworkScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("healthy")]
    [InlineData("healthy-weighted")]
    [InlineData("concurrent-heights")]
    [InlineData("large")]
    [InlineData("jittery")]
    [InlineData("lossy")]
    [InlineData("partitioned-then-healed")]
    [InlineData("bad-links")]
    public void EverySeedIsSafeAndLiveWhereItMustBe(string scenario) => ScheduleSweep.Run(scenario, output);
}
