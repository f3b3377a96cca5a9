using Sequencer.Core.Committee;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Committee;

public sealed class InvitationTests
{
    private static readonly CommitteeFixture s_fixture = new();
    private const long TwentySecondsBefore = (long)CommitteeFixture.Deadline - 20_000;

    private static InvitationChecker Checker(int ownIndex, long now = TwentySecondsBefore, InvitationLoadCheck? load = null) =>
        new(new FixedValidatorDirectorySource(s_fixture.Network.Directory), ownIndex, CommitteeSize.Default, InvitationPolicy.Default,
            new FixedClock(now), load ?? ((in Invitation _) => DeclineReason.None));

    private static InvitationVerdict CheckAt(int position, Invitation? invitation = null, long now = TwentySecondsBefore) =>
        Checker(s_fixture.At(position), now).Check(invitation ?? s_fixture.Invite(s_fixture.At(position)));

    [Fact]
    public void AMainBuddyAcceptsAGenuineInvitationAndTheSequencerTakesTheReply()
    {
        var buddy = s_fixture.At(0);
        var invitation = s_fixture.Invite(buddy);
        Assert.True(invitation.Validate().IsOk);
        Assert.Equal(s_fixture.Network.Directory.Hash, invitation.DirectoryHash);
        Assert.Equal((uint)buddy, invitation.BuddyIndex);

        var verdict = Checker(buddy).Check(invitation);
        Assert.Equal(InvitationVerdictKind.Accept, verdict.Kind);
        Assert.Equal(s_fixture.Seats.Candidates.ToArray(), verdict.Seats!.Candidates.ToArray());

        var reply = Invitations.CreateReply(invitation, verdict, s_fixture.Network.SignerOf(buddy));
        Assert.Equal(InvitationAnswer.Accept, reply.Answer);
        Assert.Equal(DeclineReason.None, reply.Reason);
        Assert.Equal(InvitationReplyError.None, Invitations.VerifyReply(s_fixture.Network.Directory, invitation, reply));
    }

    [Fact]
    public void ABackupMayAcceptToo()
    {
        Assert.Equal(InvitationVerdictKind.Accept, CheckAt(22).Kind);
    }

    [Fact]
    public void TheLoadCheckDecidesADeclineThatReplacesTheBuddy()
    {
        var buddy = s_fixture.At(4);
        var invitation = s_fixture.Invite(buddy);
        var verdict = Checker(buddy, load: (in Invitation seen) =>
        {
            Assert.Equal((uint)buddy, seen.BuddyIndex);
            return DeclineReason.Overloaded;
        }).Check(invitation);
        Assert.Equal(InvitationVerdict.Decline(DeclineReason.Overloaded, verdict.Seats!), verdict);

        var reply = Invitations.CreateReply(invitation, verdict, s_fixture.Network.SignerOf(buddy));
        Assert.Equal(InvitationAnswer.Decline, reply.Answer);
        Assert.Equal(InvitationReplyError.None, Invitations.VerifyReply(s_fixture.Network.Directory, invitation, reply));
        var committee = s_fixture.Apply(reply);
        Assert.Equal(13, committee.Members[4].Position);
    }

    [Fact]
    public void TooLittleTimeLeftIsADeclineAndNoTimeOrTooMuchARefusal()
    {
        var deadline = (long)CommitteeFixture.Deadline;
        var tooShort = CheckAt(1, now: deadline - 1_999);
        Assert.Equal((InvitationVerdictKind.Decline, DeclineReason.DeadlineTooShort), (tooShort.Kind, tooShort.Reason));
        Assert.Equal(InvitationVerdictKind.Accept, CheckAt(1, now: deadline - 2_000).Kind);
        Assert.Equal(InvitationVerdictKind.Accept, CheckAt(1, now: deadline - 60_000).Kind);
        Assert.Equal(InvitationVerdict.Refuse(InvitationError.DeadlineTooFar), CheckAt(1, now: deadline - 60_001));
        Assert.Equal(InvitationVerdict.Refuse(InvitationError.DeadlinePassed), CheckAt(1, now: deadline));
        Assert.Equal(InvitationVerdict.Refuse(InvitationError.DeadlinePassed), CheckAt(1, now: deadline + 5));
    }

    [Fact]
    public void AnInvitationThatCannotBeVerifiedIsRefusedWithoutConsultingTheLoad()
    {
        var buddy = s_fixture.At(1);
        var invitation = s_fixture.Invite(buddy);
        var sequencer = s_fixture.Sequencer;
        Invitation Changed(Action<Invitation[]> change, int? signer = null)
        {
            var copy = new[] { invitation };
            change(copy);
            return signer is { } s ? s_fixture.Resign(copy[0], s) : copy[0];
        }

        var otherHeight = CommitteeSeats.Draw(s_fixture.Network.Directory, CommitteeSize.Default, sequencer,
            s_fixture.Network.Keys[sequencer], 7, s_fixture.Round.Height + 1, s_fixture.Seats.ParentHash);
        var cases = new (InvitationError Error, Invitation Invitation)[]
        {
            (InvitationError.Malformed, Changed(c => c[0].Deadline = 0, sequencer)),
            (InvitationError.Malformed, Changed(c => c[0].SequencerIndex = (uint)buddy, sequencer)),
            (InvitationError.NotAddressedToMe, s_fixture.Invite(s_fixture.At(2))),
            (InvitationError.WrongChain, Changed(c => c[0].Round = new RoundId(8, c[0].Round.Height, c[0].Round.BlockHash), sequencer)),
            (InvitationError.WrongDirectory, Changed(c => c[0].DirectoryHash = CommitteeFixture.HashOf("d"), sequencer)),
            (InvitationError.UnknownSequencer, Changed(c => c[0].SequencerIndex = 40, sequencer)),
            (InvitationError.BadSignature, Changed(c => c[0].Signature[0] ^= 1)),
            (InvitationError.BadSignature, s_fixture.Resign(invitation, buddy)),
            (InvitationError.BadSignature, Changed(c => c[0].Deadline--)),
            (InvitationError.BadProof, Changed(c => c[0].Proof = otherHeight.Proof, sequencer)),
            (InvitationError.BadProof, Changed(c => c[0].ParentHash = CommitteeFixture.HashOf("other parent"), sequencer)),
            (InvitationError.BadProof, Changed(c => c[0].SequencerIndex = 3, 3)),
        };
        var consulted = 0;
        var checker = Checker(buddy, load: (in Invitation _) =>
        {
            consulted++;
            return DeclineReason.None;
        });
        foreach (var (error, bad) in cases)
            Assert.Equal(InvitationVerdict.Refuse(error), checker.Check(bad));
        Assert.Equal(0, consulted);
        Assert.Equal(InvitationVerdictKind.Accept, checker.Check(invitation).Kind);
        Assert.Equal(1, consulted);
    }

    [Fact]
    public void AValidatorTheVrfDidNotDrawRefuses()
    {
        var outsider = s_fixture.NonCandidate();
        var invitation = s_fixture.Invite(s_fixture.At(0));
        invitation.BuddyIndex = (uint)outsider;
        Assert.Equal(InvitationVerdict.Refuse(InvitationError.NotACandidate),
            Checker(outsider).Check(s_fixture.Resign(invitation, s_fixture.Sequencer)));
    }

    [Fact]
    public void ARefusedInvitationGetsNoReply()
    {
        var invitation = s_fixture.Invite(s_fixture.At(0));
        Assert.Throws<ArgumentException>(() => Invitations.CreateReply(
            invitation, InvitationVerdict.Refuse(InvitationError.BadProof), s_fixture.Network.SignerOf(s_fixture.At(0))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Invitations.CreateReply(
            invitation, (DeclineReason)9, s_fixture.Network.SignerOf(s_fixture.At(0))));
        Assert.Throws<ArgumentOutOfRangeException>(() => InvitationVerdict.Decline(DeclineReason.None, s_fixture.Seats));
    }

    [Fact]
    public void TheSequencerInvitesOnlyDrawnValidatorsAtItsHeight()
    {
        Assert.Throws<ArgumentException>(() => s_fixture.Invite(s_fixture.NonCandidate()));
        Assert.Throws<ArgumentException>(() => s_fixture.Invite(s_fixture.Sequencer));
        Assert.Throws<ArgumentOutOfRangeException>(() => s_fixture.Invite(s_fixture.At(0), deadline: 0));
        var otherHeight = new RoundId(7, s_fixture.Round.Height + 1, s_fixture.Round.BlockHash);
        Assert.Throws<ArgumentException>(() => Invitations.Create(
            s_fixture.Seats, otherHeight, s_fixture.At(0), CommitteeFixture.Deadline, s_fixture.Network.SignerOf(s_fixture.Sequencer)));
    }

    [Fact]
    public void OnlyTheSequencerInvitesAndOnlyTheInviteeAnswers()
    {
        Assert.Throws<ArgumentException>(() => Invitations.Create(
            s_fixture.Seats, s_fixture.Round, s_fixture.At(0), CommitteeFixture.Deadline, s_fixture.Network.SignerOf(s_fixture.At(1))));
        Assert.Throws<ArgumentException>(() => Invitations.CreateReply(
            s_fixture.Invite(s_fixture.At(0)), DeclineReason.Overloaded, s_fixture.Network.SignerOf(s_fixture.At(1))));
    }

    [Fact]
    public void TheSequencerRefusesRepliesThatDoNotAnswerItsInvitation()
    {
        var buddy = s_fixture.At(0);
        var invitation = s_fixture.Invite(buddy);
        var reply = Invitations.CreateReply(invitation, DeclineReason.None, s_fixture.Network.SignerOf(buddy));
        var directory = s_fixture.Network.Directory;

        var malformed = reply;
        malformed.Answer = (InvitationAnswer)7;
        Assert.Equal(InvitationReplyError.Malformed, Invitations.VerifyReply(directory, invitation, malformed));
        var otherRound = reply;
        otherRound.Round = new RoundId(7, 99, default);
        Assert.Equal(InvitationReplyError.WrongRound, Invitations.VerifyReply(directory, invitation, s_fixture.Resign(otherRound, buddy)));
        var otherDirectory = reply;
        otherDirectory.DirectoryHash = default;
        Assert.Equal(InvitationReplyError.WrongDirectory, Invitations.VerifyReply(directory, invitation, s_fixture.Resign(otherDirectory, buddy)));
        var otherBuddy = Invitations.CreateReply(s_fixture.Invite(s_fixture.At(1)), DeclineReason.None, s_fixture.Network.SignerOf(s_fixture.At(1)));
        Assert.Equal(InvitationReplyError.WrongBuddy, Invitations.VerifyReply(directory, invitation, otherBuddy));
        var otherInvitation = Invitations.CreateReply(s_fixture.Invite(buddy, CommitteeFixture.Deadline + 1), DeclineReason.None,
            s_fixture.Network.SignerOf(buddy));
        Assert.Equal(InvitationReplyError.WrongInvitation, Invitations.VerifyReply(directory, invitation, otherInvitation));
        var forged = s_fixture.Resign(reply, s_fixture.Sequencer);
        Assert.Equal(InvitationReplyError.BadSignature, Invitations.VerifyReply(directory, invitation, forged));
        var flipped = reply;
        flipped.Answer = InvitationAnswer.Decline;
        flipped.Reason = DeclineReason.Overloaded;
        Assert.Equal(InvitationReplyError.BadSignature, Invitations.VerifyReply(directory, invitation, flipped));
    }

    [Fact]
    public void InvitationsAndRepliesSurviveTheWire()
    {
        var buddy = s_fixture.At(6);
        var invitation = s_fixture.Invite(buddy);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        invitation.Encode(buffer);
        Assert.True(Invitation.TryDecode(new System.Buffers.ReadOnlySequence<byte>(buffer.WrittenMemory), out var decoded).IsOk);
        var verdict = Checker(buddy).Check(decoded);
        Assert.Equal(InvitationVerdictKind.Accept, verdict.Kind);

        var reply = Invitations.CreateReply(decoded, DeclineReason.NotSynchronized, s_fixture.Network.SignerOf(buddy));
        buffer.Clear();
        reply.Encode(buffer);
        Assert.True(InvitationReply.TryDecode(new System.Buffers.ReadOnlySequence<byte>(buffer.WrittenMemory), out var decodedReply).IsOk);
        Assert.Equal(InvitationReplyError.None, Invitations.VerifyReply(s_fixture.Network.Directory, invitation, decodedReply));
        Assert.Equal(13, s_fixture.Apply(decodedReply).Members[6].Position);
    }

    [Fact]
    public void PolicyBoundsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InvitationPolicy(TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InvitationPolicy(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)));
    }
}
