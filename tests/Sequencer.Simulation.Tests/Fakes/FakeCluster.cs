using Sequencer.Simulation.Network;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Tests.Fakes;

/// <summary>A scheduler, a network and <c>n</c> recording nodes, host i being validator i.</summary>
internal sealed class FakeCluster
{
    public FakeCluster(int nodes, NetworkFaultModel? faults = null, int seed = 1)
    {
        Network = new SimulatedNetwork(Scheduler, new Random(seed), faults);
        for (var i = 0; i < nodes; i++)
        {
            var scope = new ProcessScope(Scheduler, i, 0, $"node{i}");
            var endpoint = Network.Connect(scope, i);
            var node = new RecordingNode(scope, endpoint);
            endpoint.Events = node;
            Scopes.Add(scope);
            Endpoints.Add(endpoint);
            Nodes.Add(node);
        }
    }

    public SimulationScheduler Scheduler { get; } = new();

    public SimulatedNetwork Network { get; }

    public List<ProcessScope> Scopes { get; } = [];

    public List<SimulatedEndpoint> Endpoints { get; } = [];

    public List<RecordingNode> Nodes { get; } = [];

    /// <summary>Runs <paramref name="work"/> as an event of node <paramref name="node"/> at <paramref name="at"/>.</summary>
    public void At(TimeSpan at, int node, Action work) =>
        Scheduler.Schedule(at - Scheduler.Now, Scopes[node], TraceKind.Script, 0, work);

    public SimulationStop RunFor(TimeSpan span) => Scheduler.Run(Scheduler.Now + span);
}
