using Xunit.Abstractions;

namespace Sequencer.Simulation.Tests.Scenarios;

/// <summary>Each Byzantine behaviour, Twins and double proposals.</summary>
public sealed class ByzantineScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("equivocating-voter")]
    [InlineData("equivocation-at-the-margin")]
    [InlineData("equivocating-buddy")]
    [InlineData("forged-signatures")]
    [InlineData("replayed-votes")]
    [InlineData("garbage")]
    [InlineData("two-faced-sequencer")]
    [InlineData("double-proposals")]
    [InlineData("double-proposals-with-equivocator")]
    [InlineData("double-proposals-with-crashes")]
    [InlineData("twins")]
    public void EverySeedIsSafeAndLiveWhereItMustBe(string scenario) => ScheduleSweep.Run(scenario, output);
}
