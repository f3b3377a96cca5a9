namespace Sequencer.Simulation.Scheduling;

/// <summary>Why <see cref="SimulationScheduler.Run"/> returned.</summary>
public enum SimulationStop
{
    /// <summary>No event is left: the run is over by itself.</summary>
    Idle = 1,

    /// <summary>The next event lies beyond the virtual-time horizon.</summary>
    Horizon = 2,

    /// <summary>The caller's stop condition became true.</summary>
    Condition = 3,

    /// <summary>The event budget ran out (a livelock guard).</summary>
    EventLimit = 4,
}
