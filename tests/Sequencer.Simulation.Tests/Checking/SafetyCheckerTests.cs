using Sequencer.Core.Wire;
using Sequencer.Simulation.Byzantine;
using Sequencer.Simulation.Checking;

namespace Sequencer.Simulation.Tests.Checking;

/// <summary>Each invariant of the safety checker, shown to fire on evidence that breaks it and to stay quiet otherwise.</summary>
public sealed class SafetyCheckerTests : IDisposable
{
    private readonly CheckerFixture _fixture = new();

    private static bool AllHonest(int validator) => true;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void AnAcceptCertificateBackedByMoreThanTwoThirdsOfTheVotesIsSafe()
    {
        var round = CheckerFixture.Round(5, 0xA);
        var committee = _fixture.Committee(round);
        for (var voter = 0; voter < 7; voter++)
            _fixture.Send(voter, ByzantineContext.Encode(_fixture.SignVote(voter, round, Decision.Accept).Encode));
        _fixture.Send(1, ByzantineContext.Encode(_fixture.SignCertificate(committee, Decision.Accept, 5).Encode), "announce");

        Assert.Empty(_fixture.Check(AllHonest));
    }

    [Fact]
    public void TwoAcceptCertificatesForDifferentBlocksAtOneHeightBreakAgreement()
    {
        foreach (var block in new byte[] { 0xA, 0xB })
        {
            var round = CheckerFixture.Round(5, block);
            for (var voter = 0; voter < 7; voter++)
                _fixture.Send(voter, ByzantineContext.Encode(_fixture.SignVote(voter, round, Decision.Accept).Encode));
            _fixture.Send(1, ByzantineContext.Encode(_fixture.SignCertificate(_fixture.Committee(round), Decision.Accept, 6).Encode), "announce");
        }

        var violations = _fixture.Check(AllHonest);

        Assert.Contains(violations, v => v.Invariant == "agreement");
        Assert.Contains(violations, v => v.Invariant == "honest-votes-once");
    }

    [Fact]
    public void AnAcceptNotBackedByMoreThanTwoThirdsOfTheWeightInVotesIsCaught()
    {
        var round = CheckerFixture.Round(5, 0xA);
        for (var voter = 0; voter < 6; voter++)
            _fixture.Send(voter, ByzantineContext.Encode(_fixture.SignVote(voter, round, Decision.Accept).Encode));
        _fixture.Send(1, ByzantineContext.Encode(_fixture.SignCertificate(_fixture.Committee(round), Decision.Accept, 6).Encode), "announce");

        var violation = Assert.Single(_fixture.Check(AllHonest));

        Assert.Equal("accept-backed-by-votes", violation.Invariant);
        Assert.Contains("accept weight 6 of 9", violation.Detail);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void ACertificateOfTwoThirdsOfTheCommitteeIsInvalidInHonestHands(int signers, bool flagged)
    {
        var round = CheckerFixture.Round(5, 0xA);
        var certificate = _fixture.SignCertificate(_fixture.Committee(round), Decision.Reject, signers);

        var honest = _fixture.Check(AllHonest, new CertificateSource(certificate, "decision log of v3", true));
        var byzantineOnly = _fixture.Check(AllHonest, new CertificateSource(certificate, "a Byzantine node", false));

        Assert.Equal(flagged, honest.Any(v => v.Invariant == "valid-certificates" && v.Detail.Contains("not more than 2/3")));
        Assert.Empty(byzantineOnly);
    }

    [Fact]
    public void AForgedSignatureMakesACertificateInvalid()
    {
        var round = CheckerFixture.Round(5, 0xA);
        var certificate = _fixture.SignCertificate(_fixture.Committee(round), Decision.Reject, 6);
        var position = _fixture.Committee(round).Members[2].Position;
        Span<Sequencer.Core.Primitives.SchnorrSignature> signatures = certificate.Signatures;
        signatures[position][10] ^= 1;

        var violation = Assert.Single(_fixture.Check(AllHonest, new CertificateSource(certificate, "outcome", true)));

        Assert.Equal("valid-certificates", violation.Invariant);
        Assert.Contains($"position {position}", violation.Detail);
    }

    [Fact]
    public void AnHonestValidatorSigningTwoVotesAtOneHeightIsCaughtAndAByzantineOneIsNot()
    {
        _fixture.Send(3, ByzantineContext.Encode(_fixture.SignVote(3, CheckerFixture.Round(8, 0xA), Decision.Accept).Encode));
        _fixture.Send(3, ByzantineContext.Encode(_fixture.SignVote(3, CheckerFixture.Round(8, 0xA), Decision.Reject).Encode));

        Assert.Equal("honest-votes-once", Assert.Single(_fixture.Check(AllHonest)).Invariant);
        Assert.Empty(_fixture.Check(validator => validator != 3));
    }

    [Fact]
    public void AnHonestValidatorAttestingBothValuesIsCaught()
    {
        var committee = _fixture.Committee(CheckerFixture.Round(8, 0xA));
        var attester = committee.Members[0].ValidatorIndex;
        _fixture.Send(attester, ByzantineContext.Encode(_fixture.SignAttestation(attester, committee, Decision.Accept).Encode), "consensus");
        _fixture.Send(attester, ByzantineContext.Encode(_fixture.SignAttestation(attester, committee, Decision.Reject).Encode), "consensus");

        Assert.Contains(_fixture.Check(AllHonest), v => v.Invariant == "honest-attests-once");
    }

    [Theory]
    [InlineData(7, false, false)]
    [InlineData(6, false, true)]
    [InlineData(7, true, true)]
    [InlineData(8, true, false)]
    public void AnAttestationIsJustifiedOnlyByTheVotesItsBuddyHeld(int acceptVoters, bool oneEquivocates, bool flagged)
    {
        var round = CheckerFixture.Round(8, 0xA);
        var committee = _fixture.Committee(round);
        var buddy = committee.Members[0].ValidatorIndex;
        _fixture.Join(buddy, round);
        var voters = Enumerable.Range(0, 9).Where(v => v != buddy).Take(acceptVoters).ToArray();
        // The conflicting vote arrives first, so the equivocator's accept never counts (a quorum reached before the
        // evidence arrives is one the buddy may attest on).
        if (oneEquivocates)
            _fixture.Deliver(voters[0], buddy, ByzantineContext.Encode(_fixture.SignVote(voters[0], round, Decision.Reject).Encode));
        foreach (var voter in voters)
            _fixture.Deliver(voter, buddy, ByzantineContext.Encode(_fixture.SignVote(voter, round, Decision.Accept).Encode));
        _fixture.Send(buddy, ByzantineContext.Encode(_fixture.SignAttestation(buddy, committee, Decision.Accept).Encode), "consensus");

        var violations = _fixture.Check(v => v != voters[0] || !oneEquivocates);

        Assert.Equal(flagged, violations.Any(v => v.Invariant == "attestation-justified"));
    }

    [Fact]
    public void VotesABuddyReceivedBeforeItKnewTheRoundDoNotCount()
    {
        var round = CheckerFixture.Round(8, 0xA);
        var committee = _fixture.Committee(round);
        var buddy = committee.Members[0].ValidatorIndex;
        var voters = Enumerable.Range(0, 9).Where(v => v != buddy).Take(7).ToArray();
        foreach (var voter in voters)
            _fixture.Deliver(voter, buddy, ByzantineContext.Encode(_fixture.SignVote(voter, round, Decision.Accept).Encode));
        _fixture.Join(buddy, round);
        _fixture.Send(buddy, ByzantineContext.Encode(_fixture.SignAttestation(buddy, committee, Decision.Accept).Encode), "consensus");

        Assert.Contains(_fixture.Check(AllHonest), v => v.Invariant == "attestation-justified");
    }
}
