using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Crdt;
using Sequencer.Core.Tests.VotePipeline;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;
using static Sequencer.Core.Tests.VotePipeline.VoteFixture;

namespace Sequencer.Core.Tests.Crdt;

/// <summary>
/// The CRDT laws of the vote set: merge is commutative, associative and idempotent; replicas converge under any order,
/// duplication and loss of deltas once anti-entropy has run; an equivocator's weight counts on neither side; the tally
/// always equals the weight recomputed from the set.
/// </summary>
public sealed class VoteSetPropertyTests
{
    private static readonly Gen<(uint Voter, Decision Decision)> VoteKey =
        from voter in Gen.Choose(0, VoterCount - 1)
        from decision in Gen.Frequency((3, Gen.Constant(Decision.Accept)), (1, Gen.Constant(Decision.Reject)))
        select ((uint)voter, decision);

    private static readonly Arbitrary<(uint Voter, Decision Decision)[]> Contents = Gen.ArrayOf(VoteKey).Resize(40).ToArbitrary();

    private static VoteSet Build(IEnumerable<(uint Voter, Decision Decision)> votes)
    {
        var set = new VoteSet(Round, Roster);
        foreach (var (voter, decision) in votes)
            set.JoinVerified(voter, decision, Signed(voter, decision).Signature);
        return set;
    }

    private static VoteSet Join(VoteSet left, VoteSet right)
    {
        var joined = new VoteSet(Round, Roster);
        joined.Merge(left);
        joined.Merge(right);
        return joined;
    }

    private static bool SameState(VoteSet left, VoteSet right) =>
        left.HasSameVotes(right) && left.Tally == right.Tally && left.Tally == left.RecomputeTally();

    [Property]
    public Property MergeIsCommutative() =>
        Prop.ForAll(Contents, Contents, (a, b) => SameState(Join(Build(a), Build(b)), Join(Build(b), Build(a))));

    [Property]
    public Property MergeIsAssociative() =>
        Prop.ForAll(Contents, Contents, Contents, (a, b, c) =>
            SameState(Join(Join(Build(a), Build(b)), Build(c)), Join(Build(a), Join(Build(b), Build(c)))));

    [Property]
    public Property MergeIsIdempotent() =>
        Prop.ForAll(Contents, a =>
        {
            var set = Build(a);
            var before = set.Tally;
            return set.Merge(Build(a)) == 0 && set.Merge(set) == 0 && SameState(set, Build(a)) && set.Tally == before;
        });

    [Property]
    public Property MergeIsUnionAndEquivocatorsCountOnNeitherSide() =>
        Prop.ForAll(Contents, Contents, (a, b) =>
        {
            var left = Build(a);
            left.Merge(Build(b));
            var union = Build(a.Concat(b));
            return SameState(left, union) && Matches(left, Union(a.Concat(b)));
        });

    [Property(MaxTest = 200)]
    public Property ReplicasConvergeUnderAnyOrderDuplicationAndLossOfDeltasAfterAntiEntropy() =>
        Prop.ForAll(SyncScenario.Arbitrary, scenario =>
        {
            var replicas = Enumerable.Range(0, scenario.Replicas).Select(_ => new VoteSet(Round, Roster)).ToArray();
            scenario.Run(
                insert: (replica, voter, decision) => replicas[replica].JoinVerified(voter, decision, Signed(voter, decision).Signature),
                flush: replica => VoteSetSync.NewDeltas(replicas[replica]),
                receive: (replica, delta) => VoteSetSync.JoinDelta(replicas[replica], delta));
            VoteSetSync.AntiEntropy(replicas, (replica, delta) => VoteSetSync.JoinDelta(replicas[replica], delta));

            var expected = scenario.Union;
            return replicas.All(replica => SameState(replica, replicas[0]) && Matches(replica, expected))
                .Label($"{scenario}");
        });

    /// <summary>The same through real pipelines: every delta verified, and still each vote verified once per node.</summary>
    [Property(MaxTest = 30)]
    public Property PipelineReplicasConvergeAndVerifyEachVoteOnce() =>
        Prop.ForAll(SyncScenario.Arbitrary, scenario =>
        {
            var pipelines = Enumerable.Range(0, scenario.Replicas)
                .Select(_ => new RoundVotePipeline(Round, Roster, VoteVerifier.Inline)).ToArray();
            var sets = pipelines.Select(pipeline => pipeline.Votes).ToArray();
            scenario.Run(
                insert: (replica, voter, decision) => pipelines[replica].Submit(Signed(voter, decision)),
                flush: replica => VoteSetSync.NewDeltas(sets[replica]),
                receive: (replica, delta) => pipelines[replica].SubmitDelta(Sequence(delta)));
            VoteSetSync.AntiEntropy(sets, (replica, delta) => pipelines[replica].SubmitDelta(Sequence(delta)));

            var expected = scenario.Union;
            return pipelines.All(pipeline =>
                SameState(pipeline.Votes, sets[0])
                && Matches(pipeline.Votes, expected)
                && pipeline.Counters.Verifications == pipeline.Counters[VoteOutcome.Recorded] + pipeline.Counters[VoteOutcome.Equivocation]
                && pipeline.Counters[VoteOutcome.BadSignature] == 0);
        });

    /// <summary>
    /// The case a per-voter summary could not repair: each equivocator's Accept is held only by some replicas and its
    /// Reject only by others (no replica holds both), and every delta is lost. Summaries and fetches alone must bring
    /// the halves together everywhere, and the voter's weight must then count for neither side on every replica.
    /// </summary>
    [Property(MaxTest = 100)]
    public Property SplitEquivocationsWithEveryDeltaLostConvergeAndCountForNeitherSide() =>
        Prop.ForAll(SplitEquivocationScenario.Arbitrary, scenario =>
        {
            var pipelines = Enumerable.Range(0, scenario.Replicas)
                .Select(_ => new RoundVotePipeline(Round, Roster, VoteVerifier.Inline)).ToArray();
            var sets = pipelines.Select(pipeline => pipeline.Votes).ToArray();
            foreach (var (replica, voter, decision) in scenario.Arrivals())
                pipelines[replica].Submit(Signed(voter, decision));
            var splitBefore = sets.All(set => scenario.Equivocators.All(voter => set.GetDecisions(voter) != VoterDecisions.Equivocated));

            // No delta is ever delivered: only summaries and the fetches they prompt move votes.
            VoteSetSync.AntiEntropy(sets, (replica, delta) => pipelines[replica].SubmitDelta(Sequence(delta)));

            var expected = scenario.Union;
            var equivocatorWeight = scenario.Equivocators.Aggregate(0UL, (sum, voter) => sum + Weight(voter));
            return (splitBefore
                && pipelines.All(pipeline =>
                    SameState(pipeline.Votes, sets[0])
                    && Matches(pipeline.Votes, expected)
                    && scenario.Equivocators.All(voter => pipeline.Votes.GetDecisions(voter) == VoterDecisions.Equivocated)
                    && pipeline.Votes.Tally.Equivocators == scenario.Equivocators.Count
                    && pipeline.Votes.Tally.EquivocatorWeight == equivocatorWeight
                    && pipeline.Counters[VoteOutcome.BadSignature] == 0))
                .Label($"{scenario}");
        });

    internal static Dictionary<uint, VoterDecisions> Union(IEnumerable<(uint Voter, Decision Decision)> votes)
    {
        var union = new Dictionary<uint, VoterDecisions>();
        foreach (var (voter, decision) in votes)
            union[voter] = union.GetValueOrDefault(voter) | (decision == Decision.Accept ? VoterDecisions.Accept : VoterDecisions.Reject);
        return union;
    }

    /// <summary>The set holds exactly <paramref name="expected"/>, and its tally is that content's weight, equivocators on neither side.</summary>
    internal static bool Matches(VoteSet set, Dictionary<uint, VoterDecisions> expected)
    {
        ulong accept = 0, reject = 0, equivocated = 0;
        for (var voter = 0u; voter < VoterCount; voter++)
        {
            var decisions = expected.GetValueOrDefault(voter);
            if (set.GetDecisions(voter) != decisions)
                return false;
            switch (decisions)
            {
                case VoterDecisions.Accept: accept += Weight(voter); break;
                case VoterDecisions.Reject: reject += Weight(voter); break;
                case VoterDecisions.Equivocated: equivocated += Weight(voter); break;
            }
        }
        var tally = set.Tally;
        return tally.AcceptWeight == accept && tally.RejectWeight == reject && tally.EquivocatorWeight == equivocated
            && tally.AcceptWeight + tally.RejectWeight + tally.EquivocatorWeight == tally.VotedWeight;
    }
}
