using Sequencer.Simulation.Network;

namespace Sequencer.Simulation.Scenarios;

/// <summary>How a scenario's network behaves; every random choice in it comes from the run's seed.</summary>
public enum NetworkProfile
{
    /// <summary>1–10 ms latency, nothing lost: the liveness condition.</summary>
    Healthy,

    /// <summary>A long latency tail (up to 1.5 s), so messages overtake each other; nothing lost.</summary>
    Jittery,

    /// <summary>Drops, duplicates and reordering on every link.</summary>
    Lossy,

    /// <summary>A random group cut off from the rest for a while, then healed.</summary>
    PartitionedThenHealed,

    /// <summary>A few links (in one direction) that lose most of their traffic.</summary>
    BadLinks,
}

public static class NetworkProfiles
{
    public static NetworkFaultModel Build(this NetworkProfile profile, Random random, int hosts)
    {
        var model = new NetworkFaultModel();
        switch (profile)
        {
            case NetworkProfile.Healthy:
                break;
            case NetworkProfile.Jittery:
                model.Default = new LinkFaults
                {
                    Latency = DelayDistribution.LongTail(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(1500)),
                };
                break;
            case NetworkProfile.Lossy:
                model.Default = new LinkFaults
                {
                    Latency = DelayDistribution.LongTail(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(800)),
                    DropProbability = 0.02 + 0.18 * random.NextDouble(),
                    DuplicateProbability = 0.1 * random.NextDouble(),
                    ReorderProbability = 0.2 * random.NextDouble(),
                };
                break;
            case NetworkProfile.PartitionedThenHealed:
                var group = new HashSet<int>();
                var size = random.Next(1, Math.Max(2, hosts / 2));
                while (group.Count < size)
                    group.Add(random.Next(hosts));
                var start = TimeSpan.FromMilliseconds(random.Next(0, 300));
                model.AddPartition(new Partition(start, start + TimeSpan.FromMilliseconds(random.Next(200, 8000)), [group]));
                break;
            case NetworkProfile.BadLinks:
                for (var i = 0; i < Math.Max(1, hosts / 2); i++)
                {
                    var from = random.Next(hosts);
                    var to = random.Next(hosts);
                    if (from != to)
                        model.SetLink(from, to, new LinkFaults { DropProbability = 0.5 + 0.5 * random.NextDouble() });
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(profile), profile, "not a network profile");
        }
        return model;
    }
}
