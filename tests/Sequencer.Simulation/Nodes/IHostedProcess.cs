using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Nodes;

/// <summary>What runs on a <see cref="SimulatedHost"/>: one incarnation of a node, built by the host's factory.</summary>
public interface IHostedProcess
{
    /// <summary>Where the network delivers this process's messages.</summary>
    INetworkEvents Events { get; }

    /// <summary>Called on the process's loop right after it is built (subscribe, begin serving).</summary>
    void Start();
}
