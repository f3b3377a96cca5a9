using Sequencer.Core.Crdt;
using Sequencer.Core.Primitives;
using Sequencer.Core.Tests.Validators;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;
using static Sequencer.Core.Tests.VotePipeline.VoteFixture;

namespace Sequencer.Core.Tests.VotePipeline;

/// <summary>Every outcome of the inline pipeline, one vote at a time.</summary>
public sealed class VotePipelineTests
{
    private static RoundVotePipeline Inline(IVotePipelineEvents? events = null) => new(Round, Roster, VoteVerifier.Inline, events);

    private static VoteOutcome Offer(RoundVotePipeline pipeline, in Vote vote) => pipeline.Submit(Sequence(Encode(vote)));

    [Fact]
    public void AValidVoteIsRecordedCountedAndHeld()
    {
        var pipeline = Inline();
        Assert.Equal(VoteOutcome.Recorded, Offer(pipeline, Signed(5, Decision.Accept)));
        Assert.Equal(VoteOutcome.Recorded, Offer(pipeline, Signed(6, Decision.Reject)));

        Assert.Equal(new VoteTallySnapshot(Weight(5), Weight(6), 1, 1, 0, 0, Roster.TotalWeight), pipeline.Tally);
        Assert.Equal(VoterDecisions.Accept, pipeline.Votes.GetDecisions(5));
        Assert.Equal(VoterDecisions.Reject, pipeline.Votes.GetDecisions(6));
        Assert.True(pipeline.Votes.TryGetSignature(5, Decision.Accept, out var signature));
        Assert.Equal(Signed(5, Decision.Accept).Signature, signature);
        Assert.False(pipeline.Votes.TryGetSignature(5, Decision.Reject, out _));
        Assert.Equal(2, pipeline.Counters[VoteOutcome.Recorded]);
        Assert.Equal(2, pipeline.Counters.Verifications);
    }

    public static TheoryData<string> WrongRoundFields => ["chain", "height", "block", "directory"];

    [Theory]
    [MemberData(nameof(WrongRoundFields))]
    public void AVoteValidlySignedForAnotherRoundOrDirectoryIsWrongRoundAndNeverVerified(string field)
    {
        var otherHash = Hash32.FromSpan(Enumerable.Repeat((byte)0xAB, 32).ToArray());
        var (round, directory) = field switch
        {
            "chain" => (new RoundId(Round.ChainId + 1, Round.Height, Round.BlockHash), DirectoryHash),
            "height" => (new RoundId(Round.ChainId, Round.Height - 1, Round.BlockHash), DirectoryHash),
            "block" => (new RoundId(Round.ChainId, Round.Height, otherHash), DirectoryHash),
            _ => (Round, otherHash),
        };
        var pipeline = Inline();
        var vote = SignedFor(3, Decision.Accept, round, directory);

        Assert.Equal(VoteOutcome.WrongRound, Offer(pipeline, vote));
        Assert.Equal(DeltaSubmission.Refused(VoteOutcome.WrongRound), pipeline.SubmitDelta(Sequence(EncodeDelta([vote], round, directory))));
        Assert.Equal(2, pipeline.Counters[VoteOutcome.WrongRound]);
        Assert.Equal(0, pipeline.Counters.Verifications);
        Assert.Equal(VoterDecisions.None, pipeline.Votes.GetDecisions(3));
    }

    [Fact]
    public void AVoterIndexBeyondTheRosterIsUnknownAndNeverVerified()
    {
        var pipeline = Inline();
        var vote = Signed(0, Decision.Accept) with { VoterIndex = VoterCount };
        Assert.Equal(VoteOutcome.UnknownVoter, Offer(pipeline, vote));
        Assert.Equal(VoteOutcome.UnknownVoter, pipeline.Submit(vote with { VoterIndex = WireLimits.MaxValidators - 1 }));
        Assert.Equal(1, pipeline.SubmitDelta(Sequence(EncodeDelta([vote]))).Rejected);
        Assert.Equal(3, pipeline.Counters[VoteOutcome.UnknownVoter]);
        Assert.Equal(0, pipeline.Counters.Verifications);
    }

    public static TheoryData<string> Forgeries => ["first bit", "last bit", "another voter's key", "the other decision"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void ABadSignatureIsRejectedAfterOneVerificationAndLeavesTheSlotFree(string forgery)
    {
        var vote = forgery switch
        {
            "first bit" => Forged(9, Decision.Accept, 0),
            "last bit" => Forged(9, Decision.Accept, 511),
            "another voter's key" => SignedByAnother(9, Decision.Accept),
            _ => Signed(9, Decision.Reject) with { Decision = Decision.Accept },
        };
        var pipeline = Inline();

        Assert.Equal(VoteOutcome.BadSignature, Offer(pipeline, vote));
        Assert.Equal(VoterDecisions.None, pipeline.Votes.GetDecisions(9));
        Assert.Equal(new VoteTallySnapshot(0, 0, 0, 0, 0, 0, Roster.TotalWeight), pipeline.Tally);
        // The forgery did not take the voter's place: the real vote still counts.
        Assert.Equal(VoteOutcome.Recorded, Offer(pipeline, Signed(9, Decision.Accept)));
        Assert.Equal(1, pipeline.Counters[VoteOutcome.BadSignature]);
        Assert.Equal(2, pipeline.Counters.Verifications);
    }

    public static TheoryData<byte[]> MalformedInputs => new()
    {
        Array.Empty<byte>(),
        new byte[] { 1, (byte)WireMessageType.Vote, 0, 0 },
        Encode(Signed(1, Decision.Accept))[..^1],
        Encode(Signed(1, Decision.Accept)).Append((byte)0).ToArray(),
        new byte[] { 2, (byte)WireMessageType.Vote },
        WithByte(Encode(Signed(1, Decision.Accept)), 86, 0),
        WithByte(Encode(Signed(1, Decision.Accept)), 86, 3),
        EncodeDelta([Signed(1, Decision.Accept)]),
    };

    private static byte[] WithByte(byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void BytesThatAreNotOneVoteAreMalformed(byte[] input)
    {
        var pipeline = Inline();
        Assert.Equal(VoteOutcome.Malformed, pipeline.Submit(Sequence(input)));
        Assert.Equal(1, pipeline.Counters[VoteOutcome.Malformed]);
        Assert.Equal(0, pipeline.Counters.Verifications);
    }

    [Fact]
    public void BytesThatAreNotOneDeltaAreMalformed()
    {
        var pipeline = Inline();
        var delta = EncodeDelta([Signed(1, Decision.Accept), Signed(2, Decision.Accept)]);
        Assert.Equal(DeltaSubmission.Refused(VoteOutcome.Malformed), pipeline.SubmitDelta(Sequence(delta[..^1])));
        Assert.Equal(DeltaSubmission.Refused(VoteOutcome.Malformed), pipeline.SubmitDelta(Sequence(Encode(Signed(1, Decision.Accept)))));
        Assert.Equal(DeltaSubmission.Refused(VoteOutcome.Malformed), pipeline.SubmitDelta(Sequence([])));
        Assert.Equal(0, pipeline.Counters.Verifications);
    }

    [Fact]
    public void AConstructedVoteWithAnUndefinedDecisionIsMalformed()
    {
        var pipeline = Inline();
        Assert.Equal(VoteOutcome.Malformed, pipeline.Submit(Signed(1, Decision.Accept) with { Decision = (Decision)0 }));
        Assert.Equal(VoteOutcome.Malformed, pipeline.Submit(Signed(1, Decision.Accept) with { VoterIndex = WireLimits.MaxValidators }));
    }

    [Fact]
    public void TheSameVoteAgainIsADuplicateAndIsNotVerifiedAgain()
    {
        var pipeline = Inline();
        Assert.Equal(VoteOutcome.Recorded, Offer(pipeline, Signed(4, Decision.Reject)));
        Assert.Equal(VoteOutcome.Duplicate, Offer(pipeline, Signed(4, Decision.Reject)));
        // Another valid signature over the same vote says nothing new: dropped unverified too.
        Assert.Equal(VoteOutcome.Duplicate, Offer(pipeline, Resigned(4, Decision.Reject)));
        // So is a forgery of a vote already held: it cannot change anything, so it costs nothing.
        Assert.Equal(VoteOutcome.Duplicate, Offer(pipeline, Forged(4, Decision.Reject)));
        Assert.Equal(1, pipeline.SubmitDelta(Sequence(EncodeDelta([Signed(4, Decision.Reject)]))).Duplicates);

        Assert.Equal(1, pipeline.Counters.Verifications);
        Assert.Equal(4, pipeline.Counters[VoteOutcome.Duplicate]);
        Assert.Equal(Weight(4), pipeline.Tally.RejectWeight);
        Assert.Equal(1, pipeline.Tally.RejectVoters);
    }

    [Theory]
    [InlineData(Decision.Accept)]
    [InlineData(Decision.Reject)]
    public void ASecondDecisionIsVerifiedOnceThenHeldAsEvidenceAndTheVoterCountsForNeitherSide(Decision first)
    {
        var pipeline = Inline();
        Assert.Equal(VoteOutcome.Recorded, Offer(pipeline, Signed(1, Decision.Accept)));
        Assert.Equal(VoteOutcome.Recorded, Offer(pipeline, Signed(7, first)));
        Assert.Equal(VoteOutcome.Equivocation, Offer(pipeline, Signed(7, Opposite(first))));
        Assert.Equal(VoteOutcome.Duplicate, Offer(pipeline, Signed(7, Opposite(first))));
        Assert.Equal(VoteOutcome.Duplicate, Offer(pipeline, Resigned(7, first)));

        Assert.Equal(VoterDecisions.Equivocated, pipeline.Votes.GetDecisions(7));
        Assert.Equal(new VoteTallySnapshot(Weight(1), 0, 1, 0, 1, Weight(7), Roster.TotalWeight), pipeline.Tally);
        Assert.Equal(3, pipeline.Counters.Verifications);
        Assert.Equal(1, pipeline.Counters[VoteOutcome.Equivocation]);
        Assert.Equal(pipeline.Votes.RecomputeTally(), pipeline.Tally);
    }

    [Fact]
    public void AForgedSecondDecisionIsNotEquivocation()
    {
        var pipeline = Inline();
        Assert.Equal(VoteOutcome.Recorded, Offer(pipeline, Signed(7, Decision.Accept)));
        Assert.Equal(VoteOutcome.BadSignature, Offer(pipeline, Forged(7, Decision.Reject)));
        Assert.Equal(VoterDecisions.Accept, pipeline.Votes.GetDecisions(7));
        Assert.Equal(Weight(7), pipeline.Tally.AcceptWeight);
        Assert.Equal(0, pipeline.Tally.Equivocators);
    }

    [Fact]
    public void AClosedRoundTakesNothingMore()
    {
        var pipeline = Inline();
        Assert.Equal(VoteOutcome.Recorded, Offer(pipeline, Signed(2, Decision.Accept)));
        pipeline.Close();
        Assert.True(pipeline.IsClosed);
        Assert.Equal(VoteOutcome.RoundClosed, Offer(pipeline, Signed(3, Decision.Accept)));
        Assert.Equal(VoteOutcome.RoundClosed, pipeline.Submit(Signed(3, Decision.Accept)));
        Assert.Equal(DeltaSubmission.Refused(VoteOutcome.RoundClosed), pipeline.SubmitDelta(Sequence(EncodeDelta([Signed(3, Decision.Accept)]))));
        Assert.Equal(3, pipeline.Counters[VoteOutcome.RoundClosed]);
        Assert.Equal(VoterDecisions.Accept, pipeline.Votes.GetDecisions(2));
        Assert.Equal(VoterDecisions.None, pipeline.Votes.GetDecisions(3));
    }

    [Fact]
    public void ADeltaIsTakenEntryByEntry()
    {
        var pipeline = Inline();
        Offer(pipeline, Signed(0, Decision.Accept));
        Offer(pipeline, Signed(1, Decision.Accept));
        var delta = EncodeDelta([
            Signed(0, Decision.Accept),           // duplicate
            Signed(1, Decision.Reject),           // equivocation
            Signed(2, Decision.Accept),           // new
            Signed(3, Decision.Reject),           // new
            Forged(4, Decision.Accept),           // bad signature
            Signed(5, Decision.Accept) with { VoterIndex = VoterCount + 3 }, // unknown voter
        ]);

        Assert.Equal(new DeltaSubmission(null, 2, 1, 1, 0, 2, 0), pipeline.SubmitDelta(Sequence(delta)));
        Assert.Equal(new VoteTallySnapshot(Weight(0) + Weight(2), Weight(3), 2, 1, 1, Weight(1), Roster.TotalWeight), pipeline.Tally);
    }

    [Fact]
    public void EachQuorumIsReportedOnceWhenTheVoteThatCrossesItIsCounted()
    {
        var events = new RecordingEvents();
        var pipeline = Inline(events);
        // W = 300. Reject ≥ 100 is rule 2; accept > 200 is rule 1.
        ulong reject = 0;
        var voter = 0u;
        for (; reject + Weight(voter) < 100; voter++)
        {
            pipeline.Submit(Signed(voter, Decision.Reject));
            reject += Weight(voter);
        }
        Assert.Empty(events.Quorums);
        pipeline.Submit(Signed(voter++, Decision.Reject));
        Assert.Equal(Decision.Reject, Assert.Single(events.Quorums).Decision);
        Assert.True(pipeline.HasReachedQuorum(Decision.Reject));
        Assert.False(pipeline.HasReachedQuorum(Decision.Accept));

        // Everybody else accepts: 300 − 105 = 195 is not > 200, so accept never reaches rule 1 …
        for (; voter < VoterCount; voter++)
            pipeline.Submit(Signed(voter, Decision.Accept));
        Assert.Single(events.Quorums);
        Assert.Equal(VoteOutcome.Duplicate, pipeline.Submit(Signed(0, Decision.Reject)));
        Assert.Single(events.Quorums);
        Assert.Equal(new VoteTallySnapshot(195, 105, 10, 14, 0, 0, 300), pipeline.Tally);
    }

    [Fact]
    public void AcceptQuorumIsRule1AndAnEquivocatorsWeightNeverHelpsCrossIt()
    {
        var events = new RecordingEvents();
        var pipeline = Inline(events);
        // Voter 23 (weight 24) equivocates; voters 10 … 21 (weights 11 … 22) accept: 198, and 3 × 198 ≤ 2 × 300.
        pipeline.Submit(Signed(23, Decision.Accept));
        pipeline.Submit(Signed(23, Decision.Reject));
        for (var voter = 10u; voter <= 21; voter++)
            pipeline.Submit(Signed(voter, Decision.Accept));
        Assert.Equal(198UL, pipeline.Tally.AcceptWeight);
        Assert.Equal(24UL, pipeline.Tally.EquivocatorWeight);
        Assert.Empty(events.Quorums);

        // With voter 22 (weight 23): 221, and 3 × 221 > 2 × 300.
        pipeline.Submit(Signed(22, Decision.Accept));
        var quorum = Assert.Single(events.Quorums);
        Assert.Equal(Decision.Accept, quorum.Decision);
        Assert.Equal(221UL, quorum.Tally.AcceptWeight);
        Assert.True(quorum.Tally.HasAcceptQuorum);
    }

    public static TheoryData<VoteOutcome, VoteAckStatus> AckStatuses => new()
    {
        { VoteOutcome.Recorded, VoteAckStatus.Recorded },
        { VoteOutcome.Equivocation, VoteAckStatus.Recorded },
        { VoteOutcome.Duplicate, VoteAckStatus.Duplicate },
        { VoteOutcome.WrongRound, VoteAckStatus.UnknownRound },
        { VoteOutcome.UnknownVoter, VoteAckStatus.UnknownVoter },
        { VoteOutcome.BadSignature, VoteAckStatus.InvalidSignature },
        { VoteOutcome.Malformed, VoteAckStatus.Malformed },
        { VoteOutcome.Contended, VoteAckStatus.Busy },
        { VoteOutcome.Busy, VoteAckStatus.Busy },
        { VoteOutcome.RoundClosed, VoteAckStatus.RoundClosed },
    };

    [Theory]
    [MemberData(nameof(AckStatuses))]
    public void EveryFinalOutcomeMapsToAnAcknowledgement(VoteOutcome outcome, VoteAckStatus status) =>
        Assert.Equal(status, outcome.ToAckStatus());

    [Fact]
    public void AQueuedVoteHasNoAcknowledgementYet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VoteOutcome.Queued.ToAckStatus());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((VoteOutcome)0).ToAckStatus());
    }

    [Fact]
    public void ARosterRefusesInconsistentInput()
    {
        var key = Roster.GetKey(0);
        Assert.Throws<ArgumentException>(() => new VoterRoster(DirectoryHash, [key], [1, 2]));
        Assert.Throws<ArgumentException>(() => new VoterRoster(DirectoryHash, [], []));
        Assert.Throws<ArgumentException>(() => new VoterRoster(DirectoryHash, [key, key], [1, 0]));
        Assert.Throws<ArgumentException>(() => new VoterRoster(DirectoryHash, [key, null!], [1, 1]));
        Assert.Throws<ArgumentException>(() => new VoterRoster(DirectoryHash, [key, key], [1UL << 62, (1UL << 62) + 1]));
        Assert.Equal(1UL << 63, new VoterRoster(DirectoryHash, [key, key], [1UL << 62, 1UL << 62]).TotalWeight);
    }

    [Fact]
    public void ARosterFromADirectoryCarriesItsHashKeysAndWeights()
    {
        var network = TestNetwork.Create(5, i => (ulong)i * 10 + 1);
        var roster = VoterRoster.From(network.Directory);
        Assert.Equal(network.Directory.Hash, roster.DirectoryHash);
        Assert.Equal(5, roster.Count);
        Assert.Equal(network.Directory.TotalWeight, roster.TotalWeight);
        Assert.Equal(31UL, roster.GetWeight(3));

        var vote = new Vote { Round = Round, DirectoryHash = roster.DirectoryHash, VoterIndex = 3, Decision = Decision.Reject };
        Span<byte> digest = stackalloc byte[32];
        vote.ComputeSigningDigest(digest);
        network.SignerOf(3).Sign(digest, vote.Signature);
        var pipeline = new RoundVotePipeline(Round, roster, VoteVerifier.Inline);
        Assert.Equal(VoteOutcome.Recorded, pipeline.Submit(vote));
        Assert.Equal(31UL, pipeline.Tally.RejectWeight);
    }
}
