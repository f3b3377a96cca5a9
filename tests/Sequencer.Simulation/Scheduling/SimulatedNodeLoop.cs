using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Scheduling;

/// <summary>A node's loop in the simulation: a post is an event of the global queue at the current virtual time.</summary>
internal sealed class SimulatedNodeLoop(ProcessScope scope) : INodeLoop
{
    public void Post(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        scope.Schedule(TimeSpan.Zero, TraceKind.Post, 0, work);
    }
}
