using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Primitives;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.VotePipeline;

public enum SubmissionKind
{
    Signed,
    Resigned,
    Forged,
    SignedByAnother,
    OtherHeight,
    UnknownVoter,
    Garbage,
}

/// <summary>
/// One offer of a vote to a pipeline, as a direct vote or as a one-entry delta, drawn from the fixture's votes. The
/// model of what a pipeline must end up holding: every voter's decisions that arrived validly signed for the round.
/// </summary>
public readonly record struct Submission(SubmissionKind Kind, uint Voter, Decision Decision, bool AsDelta)
{
    private static readonly RoundId OtherHeight = new(VoteFixture.Round.ChainId, VoteFixture.Round.Height + 1, VoteFixture.Round.BlockHash);

    public bool IsValidForRound => Kind is SubmissionKind.Signed or SubmissionKind.Resigned;

    public Vote Vote => Kind switch
    {
        SubmissionKind.Signed => VoteFixture.Signed(Voter, Decision),
        SubmissionKind.Resigned => VoteFixture.Resigned(Voter, Decision),
        SubmissionKind.Forged => VoteFixture.Forged(Voter, Decision, (int)Voter * 7),
        SubmissionKind.SignedByAnother => VoteFixture.SignedByAnother(Voter, Decision),
        SubmissionKind.OtherHeight => VoteFixture.SignedFor(Voter, Decision, OtherHeight, VoteFixture.DirectoryHash),
        SubmissionKind.UnknownVoter => VoteFixture.Signed(Voter, Decision) with { VoterIndex = VoteFixture.VoterCount + Voter },
        _ => default,
    };

    public byte[] Bytes
    {
        get
        {
            if (Kind == SubmissionKind.Garbage)
                return [1, (byte)(AsDelta ? WireMessageType.VoteSetDelta : WireMessageType.Vote), (byte)Voter];
            var vote = Vote;
            return AsDelta ? VoteFixture.EncodeDelta([vote], vote.Round, vote.DirectoryHash) : VoteFixture.Encode(vote);
        }
    }

    /// <summary>Offers the submission; a one-entry delta's outcome is read back from the delta's counts.</summary>
    public VoteOutcome OfferTo(RoundVotePipeline pipeline, long token = 0)
    {
        var bytes = Bytes;
        if (!AsDelta)
            return pipeline.Submit(VoteFixture.Sequence(bytes), token);
        var result = pipeline.SubmitDelta(VoteFixture.Sequence(bytes), token);
        if (result.Refusal is { } refusal)
            return refusal;
        if (result.Recorded == 1)
            return VoteOutcome.Recorded;
        if (result.Equivocations == 1)
            return VoteOutcome.Equivocation;
        if (result.Duplicates == 1)
            return VoteOutcome.Duplicate;
        if (result.Queued == 1)
            return VoteOutcome.Queued;
        if (result.Deferred == 1)
            return VoteOutcome.Contended;
        if (result.Rejected == 1)
            return Kind == SubmissionKind.UnknownVoter ? VoteOutcome.UnknownVoter : VoteOutcome.BadSignature;
        throw new InvalidOperationException($"no entry accounted for: {result}");
    }

    public static readonly Gen<Submission> Any =
        from kind in Gen.Frequency(
            (8, Gen.Constant(SubmissionKind.Signed)),
            (3, Gen.Constant(SubmissionKind.Resigned)),
            (2, Gen.Constant(SubmissionKind.Forged)),
            (1, Gen.Constant(SubmissionKind.SignedByAnother)),
            (1, Gen.Constant(SubmissionKind.OtherHeight)),
            (1, Gen.Constant(SubmissionKind.UnknownVoter)),
            (1, Gen.Constant(SubmissionKind.Garbage)))
        from voter in Gen.Choose(0, VoteFixture.VoterCount - 1)
        from decision in Gen.Frequency((3, Gen.Constant(Decision.Accept)), (1, Gen.Constant(Decision.Reject)))
        from asDelta in Gen.Elements(false, true)
        select new Submission(kind, (uint)voter, decision, asDelta);

    /// <summary>Up to 120 submissions; voters repeat often, so duplicates and equivocations are common.</summary>
    public static readonly Arbitrary<Submission[]> Lists = Gen.ArrayOf(Any).Resize(120).ToArbitrary();

    /// <summary>The decisions each voter must end with.</summary>
    public static Dictionary<uint, HashSet<Decision>> Model(IEnumerable<Submission> submissions)
    {
        var model = new Dictionary<uint, HashSet<Decision>>();
        foreach (var submission in submissions.Where(s => s.IsValidForRound))
        {
            if (!model.TryGetValue(submission.Voter, out var decisions))
                model[submission.Voter] = decisions = [];
            decisions.Add(submission.Decision);
        }
        return model;
    }
}
