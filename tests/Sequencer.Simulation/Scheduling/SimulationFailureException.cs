namespace Sequencer.Simulation.Scheduling;

/// <summary>
/// Code running inside a simulated event threw something other than an injected crash: an engine bug as far as the
/// simulation is concerned, reported with the virtual time and the process it happened in.
/// </summary>
public sealed class SimulationFailureException(TimeSpan time, string process, Exception inner)
    : Exception($"at {time.TotalMilliseconds:0.###} ms in {process}: {inner.GetType().Name}: {inner.Message}", inner)
{
    public TimeSpan Time { get; } = time;

    public string Process { get; } = process;
}
