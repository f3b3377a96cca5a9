namespace Sequencer.Simulation.Scheduling;

/// <summary>What an executed event was, as folded into the run's trace hash.</summary>
public enum TraceKind : byte
{
    /// <summary>Work posted to a node's loop (<see cref="Sequencer.Core.Ports.INodeLoop.Post"/> or an <c>await</c> continuation).</summary>
    Post = 1,
    Timer = 2,
    RequestDelivered = 3,
    ResponseDelivered = 4,
    RequestFailed = 5,
    TopicDelivered = 6,
    Crash = 7,
    Restart = 8,

    /// <summary>A step of the scenario's script (start a round, change the network, …).</summary>
    Script = 9,
}
