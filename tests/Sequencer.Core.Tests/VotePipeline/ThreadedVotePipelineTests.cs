using Sequencer.Core.Crdt;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;
using static Sequencer.Core.Tests.VotePipeline.VoteFixture;

namespace Sequencer.Core.Tests.VotePipeline;

/// <summary>The threaded verifier: queueing, back-pressure, contention, closing, and many submitting threads at once.</summary>
public sealed class ThreadedVotePipelineTests
{
    [Fact]
    public void QueuedVotesReachTheirOutcomesThroughTheEventsWithTheirTokens()
    {
        var events = new RecordingEvents();
        using var verifier = new ThreadedVoteVerifier(2, batchSize: 4);
        var pipeline = new RoundVotePipeline(Round, Roster, verifier, events);

        Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Sequence(Encode(Signed(1, Decision.Accept))), token: 101));
        Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Sequence(Encode(Forged(2, Decision.Accept))), token: 102));
        Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Sequence(Encode(Signed(3, Decision.Reject))), token: 103));
        Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Sequence(Encode(Signed(3, Decision.Accept))), token: 104));
        Assert.Equal(new DeltaSubmission(null, 0, 0, 0, 1, 0, 0), pipeline.SubmitDelta(Sequence(EncodeDelta([Signed(4, Decision.Accept)])), token: 105));
        events.WaitForVerdicts(5);

        var verdicts = events.Verdicts.ToDictionary(verdict => verdict.Token);
        Assert.Equal(new VoteVerdict(101, 1, Decision.Accept, VoteOutcome.Recorded), verdicts[101]);
        Assert.Equal(new VoteVerdict(102, 2, Decision.Accept, VoteOutcome.BadSignature), verdicts[102]);
        Assert.Equal(new VoteVerdict(105, 4, Decision.Accept, VoteOutcome.Recorded), verdicts[105]);
        // Whichever of voter 3's votes completed second is the equivocation.
        Assert.Equal(
            [VoteOutcome.Recorded, VoteOutcome.Equivocation],
            new[] { verdicts[103].Outcome, verdicts[104].Outcome }.Order());
        Assert.Equal(5, verdicts.Count);
        Assert.Equal(new VoteTallySnapshot(Weight(1) + Weight(4), 0, 2, 0, 1, Weight(3), Roster.TotalWeight), pipeline.Tally);
        Assert.Equal(VoteOutcome.Duplicate, pipeline.Submit(Signed(1, Decision.Accept)));
    }

    [Fact]
    public void AFullQueueRefusesWithBusyAndFreesTheSlot()
    {
        using var gate = new ManualResetEventSlim(false);
        var events = new RecordingEvents { Gate = gate };
        using var verifier = new ThreadedVoteVerifier(1, batchSize: 1, queueCapacity: 2);
        var pipeline = new RoundVotePipeline(Round, Roster, verifier, events);
        try
        {
            Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Signed(0, Decision.Accept)));
            events.WaitUntilReporting(); // the only worker is now parked in the report of vote 0
            Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Signed(1, Decision.Accept)));
            Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Signed(2, Decision.Accept)));
            Assert.Equal(2, verifier.QueuedCount);
            Assert.Equal(VoteOutcome.Busy, pipeline.Submit(Signed(3, Decision.Accept)));
            Assert.Equal(1, pipeline.SubmitDelta(Sequence(EncodeDelta([Signed(3, Decision.Accept)]))).Deferred);
            Assert.Equal(2, pipeline.Counters[VoteOutcome.Busy]);
            Assert.Equal(VoterDecisions.None, pipeline.Votes.GetDecisions(3));
        }
        finally
        {
            gate.Set();
        }
        events.WaitForVerdicts(3);
        Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Signed(3, Decision.Accept)));
        events.WaitForVerdicts(4);
        Assert.Equal(VoterDecisions.Accept, pipeline.Votes.GetDecisions(3));
        Assert.Equal(4, pipeline.Counters[VoteOutcome.Recorded]);
    }

    [Fact]
    public void ADifferentSignatureForAVoteBeingVerifiedIsContendedAndWinsOnceTheForgeryFails()
    {
        using var gate = new ManualResetEventSlim(false);
        var events = new RecordingEvents { Gate = gate };
        using var verifier = new ThreadedVoteVerifier(1, batchSize: 1);
        var pipeline = new RoundVotePipeline(Round, Roster, verifier, events);
        try
        {
            Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Signed(0, Decision.Accept)));
            events.WaitUntilReporting();
            Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Forged(5, Decision.Accept)));
            // The forgery holds the slot: the real vote cannot be told apart without verifying, so it waits …
            Assert.Equal(VoteOutcome.Contended, pipeline.Submit(Signed(5, Decision.Accept)));
            // … while the same forged bytes again are a plain duplicate.
            Assert.Equal(VoteOutcome.Duplicate, pipeline.Submit(Forged(5, Decision.Accept)));
            // The other decision is not contended: it is an equivocation candidate, verified once.
            Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Signed(5, Decision.Reject)));
        }
        finally
        {
            gate.Set();
        }
        events.WaitForVerdicts(3);
        Assert.Contains(events.Verdicts, verdict => verdict is { VoterIndex: 5, Decision: Decision.Accept, Outcome: VoteOutcome.BadSignature });
        Assert.Equal(VoterDecisions.Reject, pipeline.Votes.GetDecisions(5));

        Assert.Equal(VoteOutcome.Queued, pipeline.Submit(Signed(5, Decision.Accept)));
        events.WaitForVerdicts(4);
        Assert.Equal(VoterDecisions.Equivocated, pipeline.Votes.GetDecisions(5));
        Assert.Equal(1, pipeline.Counters[VoteOutcome.Contended]);
        Assert.Equal(4, pipeline.Counters.Verifications);
    }

    [Fact]
    public void ClosingDropsQueuedVotesUnverified()
    {
        using var gate = new ManualResetEventSlim(false);
        var events = new RecordingEvents { Gate = gate };
        using var verifier = new ThreadedVoteVerifier(1, batchSize: 1);
        var pipeline = new RoundVotePipeline(Round, Roster, verifier, events);
        try
        {
            pipeline.Submit(Signed(0, Decision.Accept));
            events.WaitUntilReporting();
            pipeline.Submit(Signed(1, Decision.Accept));
            pipeline.Submit(Signed(2, Decision.Reject));
            pipeline.Close();
        }
        finally
        {
            gate.Set();
        }
        events.WaitForVerdicts(3);
        Assert.All(events.Verdicts.Where(verdict => verdict.VoterIndex != 0), verdict => Assert.Equal(VoteOutcome.RoundClosed, verdict.Outcome));
        Assert.Equal(1, pipeline.Counters.Verifications);
        Assert.Equal(VoterDecisions.None, pipeline.Votes.GetDecisions(1));
        Assert.Equal(VoterDecisions.None, pipeline.Votes.GetDecisions(2));
        Assert.Equal(VoteOutcome.RoundClosed, pipeline.Submit(Signed(3, Decision.Accept)));
    }

    [Fact]
    public void ADisposedVerifierTakesNoMoreVotes()
    {
        var verifier = new ThreadedVoteVerifier(1);
        var pipeline = new RoundVotePipeline(Round, Roster, verifier);
        verifier.Dispose();
        verifier.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pipeline.Submit(Signed(0, Decision.Accept)));
        // Refused before its slot was claimed: the slot is still free.
        Assert.Equal(VoterDecisions.None, pipeline.Votes.GetDecisions(0));
        Assert.Equal(SlotClaim.Claimed, pipeline.Votes.TryClaim(0, Decision.Accept, Signed(0, Decision.Accept).Signature));
    }

    [Fact]
    public void VerifierParametersAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadedVoteVerifier(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadedVoteVerifier(ThreadedVoteVerifier.MaxWorkers + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadedVoteVerifier(1, batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadedVoteVerifier(1, batchSize: WireLimits.MaxVoteSetDeltaEntries + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadedVoteVerifier(1, queueCapacity: 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadedVoteVerifier(1, queueCapacity: 1));
    }

    /// <summary>
    /// Every vote of every voter — both decisions of a third of them, duplicates, re-signed copies, forgeries — offered
    /// by eight threads at once, each in its own order, as direct votes and as deltas, to two workers.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ManyThreadsSubmittingAtOnceEndInTheInlineStateWithEachVoteVerifiedOnce(int seed)
    {
        var submissions = new List<Submission>();
        for (var voter = 0u; voter < VoterCount; voter++)
        {
            var decision = voter % 2 == 0 ? Decision.Accept : Decision.Reject;
            submissions.Add(new Submission(SubmissionKind.Signed, voter, decision, AsDelta: false));
            submissions.Add(new Submission(SubmissionKind.Signed, voter, decision, AsDelta: true));
            submissions.Add(new Submission(SubmissionKind.Resigned, voter, decision, AsDelta: voter % 3 == 1));
            if (voter % 3 == 0)
                submissions.Add(new Submission(SubmissionKind.Signed, voter, Opposite(decision), AsDelta: voter % 2 == 1));
            if (voter % 4 == 0)
                submissions.Add(new Submission(SubmissionKind.Forged, voter, decision, AsDelta: false));
        }

        var inline = new RoundVotePipeline(Round, Roster, VoteVerifier.Inline);
        foreach (var submission in submissions)
            submission.OfferTo(inline);

        var events = new RecordingEvents();
        using var verifier = new ThreadedVoteVerifier(2, batchSize: 8);
        var threaded = new RoundVotePipeline(Round, Roster, verifier, events);
        var deferred = new System.Collections.Concurrent.ConcurrentBag<Submission>();
        var queued = 0;
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            var order = submissions.ToArray();
            new Random(seed * 31 + t).Shuffle(order);
            start.SignalAndWait();
            foreach (var submission in order)
            {
                var outcome = submission.OfferTo(threaded);
                if (outcome == VoteOutcome.Queued)
                    Interlocked.Increment(ref queued);
                else if (outcome is VoteOutcome.Contended or VoteOutcome.Busy)
                    deferred.Add(submission);
            }
        })).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();
        events.WaitForVerdicts(queued);
        // What was deferred is offered again, as a voter failing over or anti-entropy would.
        foreach (var submission in deferred)
        {
            if (submission.OfferTo(threaded) == VoteOutcome.Queued)
                events.WaitForVerdicts(++queued);
        }

        Assert.True(threaded.Votes.HasSameVotes(inline.Votes));
        Assert.Equal(inline.Tally, threaded.Tally);
        Assert.Equal(threaded.Votes.RecomputeTally(), threaded.Tally);
        var distinctValidVotes = submissions.Where(s => s.IsValidForRound).Select(s => (s.Voter, s.Decision)).Distinct().Count();
        Assert.Equal(distinctValidVotes, threaded.Counters[VoteOutcome.Recorded] + threaded.Counters[VoteOutcome.Equivocation]);
        Assert.Equal(inline.Counters[VoteOutcome.Equivocation], threaded.Counters[VoteOutcome.Equivocation]);
        // Each valid vote was verified exactly once; every other verification was a forgery's.
        Assert.Equal(distinctValidVotes, threaded.Counters.Verifications - threaded.Counters[VoteOutcome.BadSignature]);
        Assert.Equal(queued, events.Verdicts.Count);
    }
}
