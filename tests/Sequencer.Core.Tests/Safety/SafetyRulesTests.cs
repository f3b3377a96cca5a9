using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Safety;

public sealed class SafetyRulesTests
{
    private static readonly Hash32 BlockA = SigningHelpers.Hash(0xA1);
    private static readonly Hash32 BlockB = SigningHelpers.Hash(0xB2);
    private static readonly Hash32 Directory1 = SigningHelpers.Hash(0x01);
    private static readonly Hash32 Directory2 = SigningHelpers.Hash(0x02);

    [Fact]
    public void S1TheSameVoteIsResentWithItsStoredSignatureAndADifferentOneIsRefused()
    {
        var signer = new CountingSigner(7);
        var rules = new SafetyRules(new InMemorySafetyStore(), signer);

        var (signed, first) = rules.SignVote(5, 100, BlockA, Directory1, Decision.Accept);
        var (resent, again) = rules.SignVote(5, 100, BlockA, Directory1, Decision.Accept);
        var (otherBlock, otherBlockVote) = rules.SignVote(5, 100, BlockB, Directory1, Decision.Accept);
        var (otherDecision, _) = rules.SignVote(5, 100, BlockA, Directory1, Decision.Reject);

        Assert.Equal(SigningStatus.Signed, signed.Status);
        Assert.Equal(7u, first.VoterIndex);
        Assert.Equal(SigningStatus.Resent, resent.Status);
        Assert.Equal(first, again);
        Assert.Equal(1, signer.Calls);
        Assert.Equal(new SafetyViolation.AlreadyVoted(5, 100, BlockA, Decision.Accept, BlockB, Decision.Accept), otherBlock.Violation);
        Assert.Equal(new SafetyViolation.AlreadyVoted(5, 100, BlockA, Decision.Accept, BlockA, Decision.Reject), otherDecision.Violation);
        Assert.Equal(default, otherBlockVote.Signature);
    }

    [Fact]
    public void S1AVoteThatDiffersOnlyInTheDirectoryIsADifferentVote()
    {
        var rules = new SafetyRules(new InMemorySafetyStore(), new CountingSigner(1));
        Assert.True(rules.SignVote(1, 9, BlockA, Directory1, Decision.Accept).Result.IsSigned);

        var (result, _) = rules.SignVote(1, 9, BlockA, Directory2, Decision.Accept);

        Assert.Equal(new SafetyViolation.AlreadyVoted(1, 9, BlockA, Decision.Accept, BlockA, Decision.Accept), result.Violation);
    }

    [Fact]
    public void S2OneAttestationPerHeightIndependentOfVotesAndOfOtherChains()
    {
        var signer = new CountingSigner(3);
        var rules = new SafetyRules(new InMemorySafetyStore(), signer);
        var committee = SigningHelpers.Hash(0xCC);

        Assert.Equal(SigningStatus.Signed, rules.SignVote(1, 50, BlockA, Directory1, Decision.Accept).Result.Status);
        var (attested, attestation) = rules.SignAttestation(1, 50, BlockA, Directory1, committee, Decision.Reject);
        Assert.Equal(SigningStatus.Signed, attested.Status);
        Assert.Equal(3u, attestation.AttesterIndex);
        Assert.Equal(SigningStatus.Signed, rules.SignAttestation(2, 50, BlockB, Directory1, committee, Decision.Accept).Result.Status);
        var (otherCommittee, _) = rules.SignAttestation(1, 50, BlockA, Directory1, SigningHelpers.Hash(0xDD), Decision.Reject);
        var (otherValue, _) = rules.SignAttestation(1, 50, BlockA, Directory1, committee, Decision.Accept);

        Assert.Equal(new SafetyViolation.AlreadyAttested(1, 50, BlockA, Decision.Reject, BlockA, Decision.Reject), otherCommittee.Violation);
        Assert.Equal(new SafetyViolation.AlreadyAttested(1, 50, BlockA, Decision.Reject, BlockA, Decision.Accept), otherValue.Violation);
        Assert.Equal(3, signer.Calls);
    }

    [Fact]
    public void S4HeightsBelowTheTrackedWindowAreRefusedNotTreatedAsUnsigned()
    {
        var rules = new SafetyRules(new InMemorySafetyStore(retainedHeights: 3), new CountingSigner(0));
        foreach (var height in new ulong[] { 10, 11, 12, 13, 14 })
            Assert.True(rules.SignVote(1, height, BlockA, Directory1, Decision.Accept).Result.IsSigned);

        // 10 and 11 were pruned; 9 was never signed but is below the window too. 12 is still known.
        foreach (var height in new ulong[] { 9, 10, 11 })
            Assert.Equal(new SafetyViolation.HeightNoLongerTracked(SafetyRecordKind.Vote, 1, height, 12),
                rules.SignVote(1, height, BlockB, Directory1, Decision.Accept).Result.Violation);
        Assert.Equal(SigningStatus.Resent, rules.SignVote(1, 12, BlockA, Directory1, Decision.Accept).Result.Status);
        // Another chain and the other kind have windows of their own.
        Assert.True(rules.SignVote(2, 1, BlockA, Directory1, Decision.Accept).Result.IsSigned);
        Assert.True(rules.SignAttestation(1, 1, BlockA, Directory1, Directory1, Decision.Accept).Result.IsSigned);
    }

    [Fact]
    public void TheSignatureIsABip340SignatureOverTheWireDigestOfTheMessageSent()
    {
        using var key = Secp256k1PrivateKey.Generate();
        var rules = new SafetyRules(new InMemorySafetyStore(), new KeySigner(key, validatorIndex: 42));

        var (result, vote) = rules.SignVote(8, 1234, BlockA, Directory1, Decision.Reject);
        var (attested, attestation) = rules.SignAttestation(8, 1234, BlockA, Directory1, SigningHelpers.Hash(0xCC), Decision.Accept);
        var (resent, again) = rules.SignVote(8, 1234, BlockA, Directory1, Decision.Reject);

        Assert.True(result.IsSigned && attested.IsSigned);
        Span<byte> digest = stackalloc byte[32];
        vote.ComputeSigningDigest(digest);
        Assert.True(key.PublicKey.VerifySchnorr(digest, vote.Signature));
        attestation.ComputeSigningDigest(digest);
        Assert.True(key.PublicKey.VerifySchnorr(digest, attestation.Signature));
        // Random aux makes every fresh BIP340 signature different: equal bytes prove the stored one came back.
        Assert.Equal(SigningStatus.Resent, resent.Status);
        Assert.Equal(vote.Signature, again.Signature);
    }

    [Fact]
    public void AMessageTheWireWouldRefuseIsACallerBugNotARefusal()
    {
        var rules = new SafetyRules(new InMemorySafetyStore(), new CountingSigner(0));
        Assert.Throws<ArgumentException>(() => rules.SignVote(1, 1, BlockA, Directory1, default));
        var outOfRange = new SafetyRules(new InMemorySafetyStore(), new CountingSigner(WireLimits.MaxValidators));
        Assert.Throws<ArgumentException>(() => outOfRange.SignAttestation(1, 1, BlockA, Directory1, Directory1, Decision.Accept));
    }

    [Property(MaxTest = 300)]
    public Property S1AndS2MatchTheModelUnderAnySequenceOfRequests() =>
        Prop.ForAll(Gen.ListOf(SigningRequest.Generator(heights: 6)).ToArbitrary(), requests =>
        {
            var signer = new CountingSigner(11);
            var rules = new SafetyRules(new InMemorySafetyStore(), signer);
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
            var rules = new SafetyRules(new InMemorySafetyStore(retainedHeights: 2), new CountingSigner(4));
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
