using System.Text;
using Sequencer.Simulation.Checking;

namespace Sequencer.Simulation.Scenarios;

/// <summary>The result of one (scenario, seed): everything needed to judge it, print it and replay it.</summary>
public sealed record RunReport(
    Scenario Scenario,
    int Seed,
    ulong TraceHash,
    long Events,
    TimeSpan VirtualTime,
    IReadOnlyList<RoundRecord> Rounds,
    IReadOnlyList<InvariantViolation> Violations,
    string Setup,
    string Network,
    WireEvidence Evidence,
    IReadOnlyDictionary<string, int> Counters)
{
    public bool Passed => Violations.Count == 0;

    /// <summary>The failure report: scenario, seed, how to replay it, what broke, and the run's story.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"scenario \"{Scenario.Name}\" seed {Seed}: {(Passed ? "passed" : $"{Violations.Count} violation(s)")}");
        text.AppendLine($"  replay: SimulationRun.Execute(ScenarioCatalog.Get(\"{Scenario.Name}\"), {Seed}) — trace hash {TraceHash:x16}, {Events} events, {VirtualTime.TotalMilliseconds:0.###} ms virtual");
        text.AppendLine($"  {Scenario}");
        text.AppendLine($"  setup: {Setup}");
        text.AppendLine($"  network: {Network}");
        text.AppendLine($"  wire: {Evidence}");
        foreach (var violation in Violations)
            text.AppendLine($"  VIOLATION {violation}");
        foreach (var round in Rounds)
            text.AppendLine($"  round {round}");
        if (Counters.Count > 0)
            text.AppendLine("  counters: " + string.Join(", ", Counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));
        return text.ToString();
    }
}
