using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Committee;

/// <summary>
/// The invitation exchange of DESIGN §3 step 2 as pure functions: the sequencer builds and signs an
/// <see cref="Invitation"/> per buddy and checks each <see cref="InvitationReply"/>; the buddy checks the invitation
/// (<see cref="InvitationChecker"/>) and builds and signs its reply. Declines then go to
/// <see cref="CommitteeSeats.TryApplyDeclines"/>.
/// </summary>
public static class Invitations
{
    /// <summary>The sequencer's signed invitation to <paramref name="buddyIndex"/> (a main buddy, or the backup replacing one).</summary>
    /// <exception cref="ArgumentException">
    /// The signer is not the seats' sequencer, the round is not at the seats' height, the buddy was not drawn, or the
    /// deadline is zero.
    /// </exception>
    public static Invitation Create(CommitteeSeats seats, in RoundId round, int buddyIndex, ulong deadline, IValidatorSigner signer)
    {
        if (signer.ValidatorIndex != seats.SequencerIndex)
            throw new ArgumentException(
                $"validator {signer.ValidatorIndex} cannot sign for sequencer {seats.SequencerIndex}", nameof(signer));
        if (round.ChainId != seats.ChainId || round.Height != seats.Height)
            throw new ArgumentException($"round {round} is not at the seats' chain {seats.ChainId} height {seats.Height}", nameof(round));
        if (seats.PositionOf(buddyIndex) < 0)
            throw new ArgumentException($"validator {buddyIndex} was not drawn for this committee", nameof(buddyIndex));
        ArgumentOutOfRangeException.ThrowIfZero(deadline);
        var invitation = new Invitation
        {
            Round = round,
            DirectoryHash = seats.Directory.Hash,
            ParentHash = seats.ParentHash,
            SequencerIndex = (uint)seats.SequencerIndex,
            BuddyIndex = (uint)buddyIndex,
            Proof = seats.Proof,
            Deadline = deadline,
        };
        var digest = default(Hash32);
        invitation.ComputeSigningDigest(digest);
        signer.Sign(digest, invitation.Signature);
        return invitation;
    }

    /// <summary>
    /// The buddy's signed reply: an accept when <paramref name="reason"/> is <see cref="DeclineReason.None"/>, else a
    /// decline with that reason. Only for an invitation <see cref="InvitationChecker.Check"/> did not refuse.
    /// </summary>
    /// <exception cref="ArgumentException">The signer is not the invitee.</exception>
    public static InvitationReply CreateReply(in Invitation invitation, DeclineReason reason, IValidatorSigner signer)
    {
        if ((uint)signer.ValidatorIndex != invitation.BuddyIndex)
            throw new ArgumentException(
                $"validator {signer.ValidatorIndex} cannot answer an invitation to validator {invitation.BuddyIndex}", nameof(signer));
        if (reason != DeclineReason.None && !reason.IsDeclineReason())
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a reason a decline may carry");
        var reply = new InvitationReply
        {
            Round = invitation.Round,
            DirectoryHash = invitation.DirectoryHash,
            BuddyIndex = invitation.BuddyIndex,
            Answer = reason == DeclineReason.None ? InvitationAnswer.Accept : InvitationAnswer.Decline,
            Reason = reason,
        };
        invitation.ComputeSigningDigest(reply.InvitationDigest);
        var digest = default(Hash32);
        reply.ComputeSigningDigest(digest);
        signer.Sign(digest, reply.Signature);
        return reply;
    }

    /// <summary>The buddy's reply to a verdict that is not a refusal.</summary>
    /// <exception cref="ArgumentException">The verdict is a refusal: nothing may be signed for that invitation.</exception>
    public static InvitationReply CreateReply(in Invitation invitation, in InvitationVerdict verdict, IValidatorSigner signer) =>
        verdict.Kind == InvitationVerdictKind.Refuse
            ? throw new ArgumentException($"the invitation was refused ({verdict.Error}); it gets no reply", nameof(verdict))
            : CreateReply(invitation, verdict.Reason, signer);

    /// <summary>
    /// The sequencer's check that <paramref name="reply"/> answers <paramref name="sent"/>: same round, directory and
    /// buddy, the invitation's digest, and the buddy's signature.
    /// </summary>
    public static InvitationReplyError VerifyReply(ValidatorDirectory directory, in Invitation sent, in InvitationReply reply)
    {
        if (!reply.Validate().IsOk)
            return InvitationReplyError.Malformed;
        if (reply.Round != sent.Round)
            return InvitationReplyError.WrongRound;
        if (reply.DirectoryHash != sent.DirectoryHash || reply.DirectoryHash != directory.Hash)
            return InvitationReplyError.WrongDirectory;
        if (reply.BuddyIndex != sent.BuddyIndex || !directory.TryGet(reply.BuddyIndex, out var buddy))
            return InvitationReplyError.WrongBuddy;
        var invitationDigest = default(Hash32);
        sent.ComputeSigningDigest(invitationDigest);
        if (reply.InvitationDigest != invitationDigest)
            return InvitationReplyError.WrongInvitation;
        var digest = default(Hash32);
        reply.ComputeSigningDigest(digest);
        return buddy.SchnorrKey.Verify(digest, reply.Signature) ? InvitationReplyError.None : InvitationReplyError.BadSignature;
    }
}
