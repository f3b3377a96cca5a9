using Sequencer.Core.Safety;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Nodes;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Tests.Fakes;

/// <summary>
/// A whole seeded run of <see cref="ChattyNode"/>s over a lossy network with a partition, scripted crashes, restarts
/// and crashes injected inside durable writes: everything a real schedule has except the engine.
/// </summary>
internal static class ChattyRun
{
    public sealed record Outcome(ulong TraceHash, long Events, string Statistics, IReadOnlyList<string> Journal, int[] SaveCounts, int[] CrashCounts);

    public static Outcome Run(int seed, int nodes = 6)
    {
        var master = new Random(seed);
        var scheduler = new SimulationScheduler();
        var faults = new NetworkFaultModel
        {
            Default = new LinkFaults
            {
                Latency = DelayDistribution.LongTail(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(400)),
                DropProbability = 0.05,
                DuplicateProbability = 0.05,
                ReorderProbability = 0.1,
            },
        };
        faults.AddPartition(new Partition(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(700),
            [new HashSet<int> { 0, 1 }]));
        var network = new SimulatedNetwork(scheduler, new Random(master.Next()), faults);
        var journal = new List<string>();
        var hosts = new List<SimulatedHost>();
        for (var i = 0; i < nodes; i++)
        {
            var host = new SimulatedHost(scheduler, network, i, i, $"node{i}", master.Next(),
                start => new ChattyNode(start, nodes, journal));
            host.OnCrashed = crashed => scheduler.Schedule(TimeSpan.FromMilliseconds(100), null, TraceKind.Script, 0, crashed.Start);
            hosts.Add(host);
            host.Start();
        }
        for (var i = 0; i < 3; i++)
        {
            var victim = hosts[master.Next(nodes)];
            scheduler.Schedule(TimeSpan.FromMilliseconds(master.Next(100, 900)), null, TraceKind.Script, 0, victim.Crash);
            var armed = hosts[master.Next(nodes)];
            var point = master.Next(2) == 0 ? SafetyCrashPoint.BeforeDurable : SafetyCrashPoint.AfterDurable;
            scheduler.Schedule(TimeSpan.FromMilliseconds(master.Next(100, 900)), null, TraceKind.Script, 0, () => armed.ArmSafetyCrash(point));
        }
        scheduler.Run(TimeSpan.FromSeconds(2));
        return new Outcome(scheduler.TraceHash, scheduler.ExecutedEvents, network.Statistics.ToString(), journal,
            hosts.Select(h => h.SafetyStore.SaveCount).ToArray(), hosts.Select(h => h.CrashCount).ToArray());
    }
}
