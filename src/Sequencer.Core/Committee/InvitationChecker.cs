using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Committee;

/// <summary>
/// A buddy's check of an invitation it received (DESIGN §3 step 2). Immutable; one per node, used from its loop.
/// </summary>
/// <remarks>
/// Order: the cheap field checks; the deadline against the injected clock; the sequencer's signature; π and this
/// node's place in the draw (a main buddy or a backup — an invitation carries no declines, so a backup cannot tell here
/// whether it is really needed, and does not have to: its decline or accept is bound to this exact invitation); then,
/// only for an invitation that verified, the deadline's slack and the node's load decide between accept and decline.
/// Anything unverifiable is refused without an answer (see <see cref="InvitationError"/>). π's draw is looked up in
/// <paramref name="cache"/> when one is given (see <see cref="CommitteeCache"/>), else derived here.
/// </remarks>
public sealed class InvitationChecker(
    IValidatorDirectorySource directories, int ownIndex, CommitteeSize size, InvitationPolicy policy, TimeProvider clock,
    InvitationLoadCheck loadCheck, CommitteeCache? cache = null)
{
    public int OwnIndex { get; } = ownIndex;

    public InvitationVerdict Check(in Invitation invitation)
    {
        var directory = directories.Current;
        if (!invitation.Validate().IsOk)
            return InvitationVerdict.Refuse(InvitationError.Malformed);
        if (invitation.BuddyIndex != (uint)OwnIndex)
            return InvitationVerdict.Refuse(InvitationError.NotAddressedToMe);
        if (invitation.Round.ChainId != directory.ChainId)
            return InvitationVerdict.Refuse(InvitationError.WrongChain);
        if (invitation.DirectoryHash != directory.Hash)
            return InvitationVerdict.Refuse(InvitationError.WrongDirectory);
        if (!directory.TryGet(invitation.SequencerIndex, out var sequencer))
            return InvitationVerdict.Refuse(InvitationError.UnknownSequencer);

        var now = (ulong)Math.Max(0, clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (invitation.Deadline <= now)
            return InvitationVerdict.Refuse(InvitationError.DeadlinePassed);
        var millisecondsLeft = invitation.Deadline - now;
        if (millisecondsLeft > (ulong)policy.MaximumTimeLeft.TotalMilliseconds)
            return InvitationVerdict.Refuse(InvitationError.DeadlineTooFar);

        var digest = default(Hash32);
        invitation.ComputeSigningDigest(digest);
        if (!sequencer.SchnorrKey.Verify(digest, invitation.Signature))
            return InvitationVerdict.Refuse(InvitationError.BadSignature);
        if (!CommitteeCache.TryDerive(cache, directory, size, sequencer.Index, invitation.Round.ChainId, invitation.Round.Height,
                invitation.ParentHash, invitation.Proof, out var seats, out var refusal))
        {
            // Chain and sequencer are checked above; what is left is a bad π, or a directory with no one to draw.
            return InvitationVerdict.Refuse(
                refusal.Error == CommitteeError.BadProof ? InvitationError.BadProof : InvitationError.NotACandidate);
        }
        if (seats.PositionOf(OwnIndex) < 0)
            return InvitationVerdict.Refuse(InvitationError.NotACandidate);

        if (millisecondsLeft < (ulong)policy.MinimumTimeLeft.TotalMilliseconds)
            return InvitationVerdict.Decline(DeclineReason.DeadlineTooShort, seats);
        var reason = loadCheck(invitation);
        return reason == DeclineReason.None ? InvitationVerdict.Accept(seats) : InvitationVerdict.Decline(reason, seats);
    }
}
