using Sequencer.Core.Ports;
using Sequencer.Core.Safety;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Nodes;

/// <summary>
/// Everything one incarnation of a process gets from its host: fresh volatile pieces (scope, loop, clock view,
/// endpoint, random) and the host's durable stores, which are the same objects across every incarnation.
/// </summary>
public sealed record HostStart(
    SimulatedHost Host,
    ProcessScope Scope,
    SimulatedEndpoint Endpoint,
    Random Random,
    ISafetyStore SafetyStore,
    IDecisionLog DecisionLog)
{
    public INodeLoop Loop => Scope.Loop;

    public TimeProvider Time => Scope.Time;

    public int Incarnation => Scope.Incarnation;
}
