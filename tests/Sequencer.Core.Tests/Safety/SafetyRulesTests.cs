using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Safety;

namespace Sequencer.Core.Tests.Safety;

public sealed class SafetyRulesTests
{
    private static readonly Hash32 BlockA = TestDigests.Hash(0xA1);
    private static readonly Hash32 BlockB = TestDigests.Hash(0xB2);
    private static readonly Hash32 Directory1 = TestDigests.Hash(0x01);
    private static readonly Hash32 Directory2 = TestDigests.Hash(0x02);

    [Fact]
    public void S1TheSameVoteIsResentWithItsStoredSignatureAndADifferentOneIsRefused()
    {
        var signer = new CountingSigner(7);
        var rules = TestDigests.Rules(new InMemorySafetyStore(), signer);
        var first = new byte[64];
        var again = new byte[64];
        var conflicting = new byte[64];

        var signed = rules.SignVote(new VoteToSign(5, 100, BlockA, Directory1, Decision.Accept), first);
        var resent = rules.SignVote(new VoteToSign(5, 100, BlockA, Directory1, Decision.Accept), again);
        var otherBlock = rules.SignVote(new VoteToSign(5, 100, BlockB, Directory1, Decision.Accept), conflicting);
        var otherDecision = rules.SignVote(new VoteToSign(5, 100, BlockA, Directory1, Decision.Reject), conflicting);

        Assert.Equal(SigningStatus.Signed, signed.Status);
        Assert.Equal(SigningStatus.Resent, resent.Status);
        Assert.Equal(first, again);
        Assert.Equal(1, signer.Calls);
        Assert.Equal(new SafetyViolation.AlreadyVoted(5, 100, BlockA, Decision.Accept, BlockB, Decision.Accept), otherBlock.Violation);
        Assert.Equal(new SafetyViolation.AlreadyVoted(5, 100, BlockA, Decision.Accept, BlockA, Decision.Reject), otherDecision.Violation);
        Assert.All(conflicting, b => Assert.Equal(0, b));
    }

    [Fact]
    public void S1AVoteThatDiffersOnlyInTheDirectoryIsADifferentVote()
    {
        var rules = TestDigests.Rules(new InMemorySafetyStore(), new CountingSigner(1));
        var signature = new byte[64];
        Assert.True(rules.SignVote(new VoteToSign(1, 9, BlockA, Directory1, Decision.Accept), signature).IsSigned);

        var result = rules.SignVote(new VoteToSign(1, 9, BlockA, Directory2, Decision.Accept), signature);

        Assert.Equal(new SafetyViolation.AlreadyVoted(1, 9, BlockA, Decision.Accept, BlockA, Decision.Accept), result.Violation);
    }

    [Fact]
    public void S2OneAttestationPerHeightIndependentOfVotesAndOfOtherChains()
    {
        var signer = new CountingSigner(3);
        var rules = TestDigests.Rules(new InMemorySafetyStore(), signer);
        var signature = new byte[64];
        var committee = TestDigests.Hash(0xCC);

        Assert.Equal(SigningStatus.Signed, rules.SignVote(new VoteToSign(1, 50, BlockA, Directory1, Decision.Accept), signature).Status);
        Assert.Equal(SigningStatus.Signed,
            rules.SignAttestation(new AttestationToSign(1, 50, BlockA, Directory1, committee, Decision.Reject), signature).Status);
        Assert.Equal(SigningStatus.Signed,
            rules.SignAttestation(new AttestationToSign(2, 50, BlockB, Directory1, committee, Decision.Accept), signature).Status);
        var otherCommittee = rules.SignAttestation(
            new AttestationToSign(1, 50, BlockA, Directory1, TestDigests.Hash(0xDD), Decision.Reject), signature);
        var otherValue = rules.SignAttestation(new AttestationToSign(1, 50, BlockA, Directory1, committee, Decision.Accept), signature);

        Assert.Equal(new SafetyViolation.AlreadyAttested(1, 50, BlockA, Decision.Reject, BlockA, Decision.Reject), otherCommittee.Violation);
        Assert.Equal(new SafetyViolation.AlreadyAttested(1, 50, BlockA, Decision.Reject, BlockA, Decision.Accept), otherValue.Violation);
        Assert.Equal(3, signer.Calls);
    }

    [Fact]
    public void S4HeightsBelowTheTrackedWindowAreRefusedNotTreatedAsUnsigned()
    {
        var rules = TestDigests.Rules(new InMemorySafetyStore(retainedHeights: 3), new CountingSigner(0));
        var signature = new byte[64];
        foreach (var height in new ulong[] { 10, 11, 12, 13, 14 })
            Assert.True(rules.SignVote(new VoteToSign(1, height, BlockA, Directory1, Decision.Accept), signature).IsSigned);

        // 10 and 11 were pruned; 9 was never signed but is below the window too. 12 is still known.
        foreach (var height in new ulong[] { 9, 10, 11 })
            Assert.Equal(new SafetyViolation.HeightNoLongerTracked(SafetyRecordKind.Vote, 1, height, 12),
                rules.SignVote(new VoteToSign(1, height, BlockB, Directory1, Decision.Accept), signature).Violation);
        Assert.Equal(SigningStatus.Resent, rules.SignVote(new VoteToSign(1, 12, BlockA, Directory1, Decision.Accept), signature).Status);
        // Another chain and the other kind have windows of their own.
        Assert.True(rules.SignVote(new VoteToSign(2, 1, BlockA, Directory1, Decision.Accept), signature).IsSigned);
        Assert.True(rules.SignAttestation(new AttestationToSign(1, 1, BlockA, Directory1, Directory1, Decision.Accept), signature).IsSigned);
    }

    [Fact]
    public void AnUndefinedDecisionOrAShortBufferIsACallerBugNotARefusal()
    {
        var rules = TestDigests.Rules(new InMemorySafetyStore(), new CountingSigner(0));
        Assert.Throws<ArgumentException>(() => rules.SignVote(new VoteToSign(1, 1, BlockA, Directory1, default), new byte[64]));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            rules.SignVote(new VoteToSign(1, 1, BlockA, Directory1, Decision.Accept), new byte[63]));
    }

    [Property(MaxTest = 300)]
    public Property S1AndS2MatchTheModelUnderAnySequenceOfRequests() =>
        Prop.ForAll(Gen.ListOf(SigningRequest.Generator(heights: 6)).ToArbitrary(), requests =>
        {
            var signer = new CountingSigner(11);
            var rules = TestDigests.Rules(new InMemorySafetyStore(), signer);
            var model = new SafetyModel();
            foreach (var request in requests)
            {
                var callsBefore = signer.Calls;
                var (result, signature) = request.SendTo(rules);
                model.Check(request, result, signature, callsBefore, signer.Calls);
            }
        });

    [Property(MaxTest = 200)]
    public Property UnderPruningEverySignatureAtAHeightIsTheFirstOne() =>
        Prop.ForAll(Gen.ListOf(SigningRequest.Generator(heights: 12)).ToArbitrary(), requests =>
        {
            var rules = TestDigests.Rules(new InMemorySafetyStore(retainedHeights: 2), new CountingSigner(4));
            var firstSigned = new Dictionary<(ulong, ulong, SafetyRecordKind), (SigningRequest Request, byte[] Signature)>();
            foreach (var request in requests)
            {
                var (result, signature) = request.SendTo(rules);
                if (!result.IsSigned)
                {
                    Assert.True(result.Violation is SafetyViolation.AlreadyVoted or SafetyViolation.AlreadyAttested
                        or SafetyViolation.HeightNoLongerTracked, result.ToString());
                    continue;
                }
                if (firstSigned.TryGetValue(request.Key, out var first))
                {
                    Assert.Equal(first.Request, request);
                    Assert.Equal(first.Signature, signature);
                }
                else
                {
                    firstSigned.Add(request.Key, (request, signature));
                }
            }
        });
}
