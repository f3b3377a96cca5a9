using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Crdt;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;
using static Sequencer.Core.Tests.VotePipeline.VoteFixture;

namespace Sequencer.Core.Tests.VotePipeline;

/// <summary>The pipeline's laws over any sequence of offers: valid, duplicated, re-signed, forged, misdirected, garbage.</summary>
public sealed class VotePipelinePropertyTests
{
    [Property]
    public Property TheInlinePipelineHoldsExactlyTheValidVotesAndItsTallyIsTheirWeight() =>
        Prop.ForAll(Submission.Lists, submissions =>
        {
            var pipeline = new RoundVotePipeline(Round, Roster, VoteVerifier.Inline);
            foreach (var submission in submissions)
                submission.OfferTo(pipeline);
            return HoldsExactly(pipeline, Submission.Model(submissions));
        });

    [Property]
    public Property EveryOfferEndsInOneOutcomeAndEveryVerificationIsAForgeryOrAVoteAdded() =>
        Prop.ForAll(Submission.Lists, submissions =>
        {
            var pipeline = new RoundVotePipeline(Round, Roster, VoteVerifier.Inline);
            var outcomes = submissions.Select(submission => submission.OfferTo(pipeline)).ToArray();
            var counters = pipeline.Counters;
            var held = Submission.Model(submissions).Sum(voter => voter.Value.Count);
            var counted = Enum.GetValues<VoteOutcome>().Sum(outcome => counters[outcome]);
            return counted == submissions.Length
                && outcomes.All(outcome => outcome is not (VoteOutcome.Queued or VoteOutcome.Busy or VoteOutcome.Contended))
                && counters[VoteOutcome.Recorded] + counters[VoteOutcome.Equivocation] == held
                && counters.Verifications == held + counters[VoteOutcome.BadSignature]
                && outcomes.Count(outcome => outcome == VoteOutcome.Equivocation) == pipeline.Tally.Equivocators;
        });

    [Property]
    public Property ArrivalOrderDoesNotChangeTheOutcome() =>
        Prop.ForAll(Submission.Lists, Gen.Choose(0, int.MaxValue).ToArbitrary(), (submissions, seed) =>
        {
            var shuffled = submissions.ToArray();
            new Random(seed).Shuffle(shuffled);
            var first = new RoundVotePipeline(Round, Roster, VoteVerifier.Inline);
            var second = new RoundVotePipeline(Round, Roster, VoteVerifier.Inline);
            foreach (var submission in submissions)
                submission.OfferTo(first);
            foreach (var submission in shuffled)
                submission.OfferTo(second);
            return first.Votes.HasSameVotes(second.Votes) && first.Tally == second.Tally
                && first.Counters[VoteOutcome.Equivocation] == second.Counters[VoteOutcome.Equivocation];
        });

    [Property(MaxTest = 25)]
    public Property TheThreadedPipelineEndsInTheInlineState() =>
        Prop.ForAll(Submission.Lists, submissions =>
        {
            var inline = new RoundVotePipeline(Round, Roster, VoteVerifier.Inline);
            foreach (var submission in submissions)
                submission.OfferTo(inline);

            var events = new RecordingEvents();
            using var verifier = new ThreadedVoteVerifier(2, batchSize: 4);
            var threaded = new RoundVotePipeline(Round, Roster, verifier, events);
            var queued = 0;
            var pending = submissions.ToList();
            // Offer everything; offer again what was deferred once the workers are done, until nothing is.
            while (pending.Count > 0)
            {
                var deferred = new List<Submission>();
                foreach (var submission in pending)
                {
                    var outcome = submission.OfferTo(threaded);
                    if (outcome == VoteOutcome.Queued)
                        queued++;
                    else if (outcome is VoteOutcome.Contended or VoteOutcome.Busy)
                        deferred.Add(submission);
                }
                events.WaitForVerdicts(queued);
                pending = deferred;
            }
            return threaded.Votes.HasSameVotes(inline.Votes)
                && threaded.Tally == inline.Tally
                && threaded.Counters[VoteOutcome.Recorded] == inline.Counters[VoteOutcome.Recorded]
                && threaded.Counters[VoteOutcome.Equivocation] == inline.Counters[VoteOutcome.Equivocation]
                && events.Verdicts.Count == queued;
        });

    private static bool HoldsExactly(RoundVotePipeline pipeline, Dictionary<uint, HashSet<Decision>> model)
    {
        ulong accept = 0, reject = 0, equivocated = 0;
        for (var voter = 0u; voter < VoterCount; voter++)
        {
            var expected = VoterDecisions.None;
            if (model.TryGetValue(voter, out var decisions))
            {
                foreach (var decision in decisions)
                    expected |= decision == Decision.Accept ? VoterDecisions.Accept : VoterDecisions.Reject;
            }
            if (pipeline.Votes.GetDecisions(voter) != expected)
                return false;
            switch (expected)
            {
                case VoterDecisions.Accept: accept += Weight(voter); break;
                case VoterDecisions.Reject: reject += Weight(voter); break;
                case VoterDecisions.Equivocated: equivocated += Weight(voter); break;
            }
        }
        var tally = pipeline.Tally;
        return tally == pipeline.Votes.RecomputeTally()
            && tally.AcceptWeight == accept && tally.RejectWeight == reject && tally.EquivocatorWeight == equivocated;
    }
}
