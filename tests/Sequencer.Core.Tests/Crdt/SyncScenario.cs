using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Crdt;
using Sequencer.Core.Wire;
using static Sequencer.Core.Tests.VotePipeline.VoteFixture;

namespace Sequencer.Core.Tests.Crdt;

/// <summary>
/// Votes arriving at buddies, then gossip: each buddy publishes deltas now and then; every delta reaches each other
/// buddy zero, one or two times, all deliveries in a random order.
/// </summary>
/// <remarks>
/// Any routing: an equivocating voter's two votes may reach any buddies, including two disjoint sets of them with every
/// delta carrying either half lost. Summaries and fetches compare holdings decision by decision, so anti-entropy
/// brings the halves together whatever the routing (see <see cref="VoteSet"/>).
/// </remarks>
public sealed record SyncScenario(int Replicas, SyncScenario.Arrival[] Arrivals, int Seed)
{
    public readonly record struct Arrival(int Replica, uint Voter, Decision Decision, bool ThenPublish);

    public static readonly Arbitrary<SyncScenario> Arbitrary = (
        from replicas in Gen.Choose(2, 4)
        from arrivals in Gen.ArrayOf(
            from replica in Gen.Choose(0, replicas - 1)
            from voter in Gen.Choose(0, VoterCount - 1)
            from decision in Gen.Frequency((3, Gen.Constant(Decision.Accept)), (1, Gen.Constant(Decision.Reject)))
            from publish in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
            select new Arrival(replica, (uint)voter, decision, publish)).Resize(80)
        from seed in Gen.Choose(0, int.MaxValue)
        select new SyncScenario(replicas, arrivals, seed)).ToArbitrary();

    /// <summary>Every (voter, decisions) that arrived anywhere: what all replicas must converge to.</summary>
    public Dictionary<uint, VoterDecisions> Union => VoteSetPropertyTests.Union(Arrivals.Select(a => (a.Voter, a.Decision)));

    /// <summary>Plays the arrivals and the gossip; the caller runs anti-entropy afterwards.</summary>
    public void Run(Action<int, uint, Decision> insert, Func<int, List<byte[]>> flush, Action<int, byte[]> receive)
    {
        var random = new Random(Seed);
        var deliveries = new List<(int Replica, byte[] Delta)>();
        void Publish(int from)
        {
            foreach (var delta in flush(from))
            {
                for (var to = 0; to < Replicas; to++)
                {
                    if (to == from)
                        continue;
                    var copies = random.Next(20) switch { < 7 => 0, < 18 => 1, _ => 2 };
                    for (var copy = 0; copy < copies; copy++)
                        deliveries.Add((to, delta));
                }
            }
        }

        foreach (var arrival in Arrivals)
        {
            insert(arrival.Replica, arrival.Voter, arrival.Decision);
            if (arrival.ThenPublish)
                Publish(arrival.Replica);
        }
        for (var replica = 0; replica < Replicas; replica++)
            Publish(replica);
        var shuffled = deliveries.ToArray();
        random.Shuffle(shuffled);
        foreach (var (replica, delta) in shuffled)
            receive(replica, delta);
    }

    public override string ToString() =>
        $"{Replicas} replicas, seed {Seed}: {string.Join(" ", Arrivals.Select(a => $"{a.Replica}<{a.Voter}{(a.Decision == Decision.Accept ? "A" : "R")}{(a.ThenPublish ? "!" : "")}"))}";
}
