namespace Sequencer.Core.Safety;

/// <summary>
/// Thrown by an armed <see cref="InMemorySafetyStore"/> to stand for the process dying inside a save. It is not an
/// <see cref="IOException"/>, so <see cref="SafetyRules"/> does not turn it into a refusal: it unwinds the node's
/// whole event handler, as a crash would, and the simulation then restarts the node over the same store.
/// </summary>
public sealed class SimulatedCrashException(SafetyCrashPoint point)
    : Exception($"simulated crash {(point == SafetyCrashPoint.BeforeDurable ? "before" : "after")} the safety record became durable")
{
    public SafetyCrashPoint Point { get; } = point;
}
