using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Crdt;
using Sequencer.Core.Wire;
using static Sequencer.Core.Tests.VotePipeline.VoteFixture;

namespace Sequencer.Core.Tests.Crdt;

/// <summary>
/// Which replicas hold which votes of each voter, with at least one equivocator whose Accept and Reject are held by
/// disjoint, non-empty sets of replicas (so no replica starts with both halves). Honest voters' one vote is held by
/// one or more replicas.
/// </summary>
/// <param name="Holdings">Per voter, the decisions each replica holds (index = replica).</param>
public sealed record SplitEquivocationScenario(int Replicas, IReadOnlyDictionary<uint, VoterDecisions[]> Holdings)
{
    public static readonly Arbitrary<SplitEquivocationScenario> Arbitrary = (
        from replicas in Gen.Choose(2, 4)
        from forced in Gen.Choose(0, VoterCount - 1)
        from roles in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(Role.Absent)), (5, Gen.Constant(Role.Honest)), (2, Gen.Constant(Role.Equivocator))), VoterCount)
        from honest in Gen.ArrayOf(HonestHoldings(replicas), VoterCount)
        from split in Gen.ArrayOf(SplitHoldings(replicas), VoterCount)
        select new SplitEquivocationScenario(replicas, Build(forced, roles, honest, split))).ToArbitrary();

    public enum Role
    {
        Absent,
        Honest,
        Equivocator,
    }

    public IReadOnlyList<uint> Equivocators =>
        [.. Holdings.Where(h => Aggregate(h.Value) == VoterDecisions.Equivocated).Select(h => h.Key).Order()];

    /// <summary>Every (voter, decisions) held anywhere: what all replicas must converge to.</summary>
    public Dictionary<uint, VoterDecisions> Union => Holdings.ToDictionary(h => h.Key, h => Aggregate(h.Value));

    public IEnumerable<(int Replica, uint Voter, Decision Decision)> Arrivals()
    {
        foreach (var (voter, holdings) in Holdings.OrderBy(h => h.Key))
        {
            for (var replica = 0; replica < holdings.Length; replica++)
            {
                if ((holdings[replica] & VoterDecisions.Accept) != 0)
                    yield return (replica, voter, Decision.Accept);
                if ((holdings[replica] & VoterDecisions.Reject) != 0)
                    yield return (replica, voter, Decision.Reject);
            }
        }
    }

    public override string ToString() =>
        $"{Replicas} replicas: " + string.Join(" ", Holdings.OrderBy(h => h.Key).Select(h =>
            $"{h.Key}[{string.Join("", h.Value.Select(d => d switch { VoterDecisions.Accept => "A", VoterDecisions.Reject => "R", VoterDecisions.Equivocated => "E", _ => "-" }))}]"));

    /// <summary>One decision, held by a non-empty set of replicas.</summary>
    private static Gen<VoterDecisions[]> HonestHoldings(int replicas) =>
        from decision in Gen.Elements(VoterDecisions.Accept, VoterDecisions.Reject)
        from mask in Gen.Choose(1, (1 << replicas) - 1)
        select Enumerable.Range(0, replicas).Select(r => (mask & (1 << r)) != 0 ? decision : VoterDecisions.None).ToArray();

    /// <summary>Accept at some replicas, Reject at others, never both at one; each half at one replica at least.</summary>
    private static Gen<VoterDecisions[]> SplitHoldings(int replicas) =>
        from others in Gen.ArrayOf(Gen.Elements(VoterDecisions.None, VoterDecisions.Accept, VoterDecisions.Reject), replicas)
        from acceptAt in Gen.Choose(0, replicas - 1)
        from offset in Gen.Choose(1, replicas - 1)
        select WithHalves(others, acceptAt, (acceptAt + offset) % replicas);

    private static VoterDecisions[] WithHalves(VoterDecisions[] holdings, int acceptAt, int rejectAt)
    {
        var result = (VoterDecisions[])holdings.Clone();
        result[acceptAt] = VoterDecisions.Accept;
        result[rejectAt] = VoterDecisions.Reject;
        return result;
    }

    private static Dictionary<uint, VoterDecisions[]> Build(int forced, Role[] roles, VoterDecisions[][] honest, VoterDecisions[][] split)
    {
        var holdings = new Dictionary<uint, VoterDecisions[]>();
        for (var voter = 0; voter < VoterCount; voter++)
        {
            var role = voter == forced ? Role.Equivocator : roles[voter];
            if (role != Role.Absent)
                holdings[(uint)voter] = role == Role.Honest ? honest[voter] : split[voter];
        }
        return holdings;
    }

    private static VoterDecisions Aggregate(VoterDecisions[] holdings) =>
        holdings.Aggregate(VoterDecisions.None, (all, held) => all | held);
}
