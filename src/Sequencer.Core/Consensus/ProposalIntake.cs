using System.Buffers;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus.Buddy;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// Every node's check of a proposal (the vote request), wherever it came from — the announce topic, the round's
/// consensus topic, or the sequencer's result pull: the sender is the sequencer it names, the sequencer's signature
/// verifies, the deadline is plausible, and the committee proof re-derives (π under the sequencer's key, every signed
/// decline, the replacement rule). Only then does the round learn its committee and this node start its vote.
/// </summary>
/// <remarks>
/// A round takes one committee. A second proposal for the same round with another committee digest is a sequencer
/// showing different things to different nodes; it is dropped here, and attestations bound to that other committee
/// never combine with this one's (they bind the committee digest).
/// </remarks>
internal sealed class ProposalIntake(NodeRuntime runtime, RoundTable rounds, InvitationResponder invitations)
{
    /// <param name="encoded">The proposal as it travelled (kept for the result pull and the snapshot).</param>
    /// <param name="fromValidator">The authenticated sender, which must be the sequencer the proposal names.</param>
    /// <returns>The round the proposal belongs to when it is (now, or already was) accepted; null when dropped.</returns>
    public Round? Accept(in Proposal proposal, ReadOnlySpan<byte> encoded, int fromValidator)
    {
        var id = proposal.Round;
        if (rounds.IsFinished(id))
            return Dropped(DropReason.FinishedRound, fromValidator);
        if (fromValidator != (int)Math.Min(proposal.Committee.SequencerIndex, int.MaxValue))
            return Dropped(DropReason.SenderMismatch, fromValidator);
        rounds.TryGet(id, out var round);
        if (round?.Sequencer is not null && round.Committee is null)
        {
            // This node is the round's sequencer and has not proposed yet: whatever this is, it is not its proposal
            // (a twin holding the same key, or a replay of an earlier life). Only its own proposal sets the committee.
            return Dropped(DropReason.ConflictingProposal, fromValidator);
        }
        if (round?.Committee is { } known)
        {
            var digest = default(Hash32);
            proposal.Committee.ComputeDigest(id, proposal.DirectoryHash, digest);
            if (digest != known.Digest)
                return Dropped(DropReason.ConflictingProposal, fromValidator);
            runtime.Drop(DropReason.Duplicate, fromValidator);
            return round;
        }

        var directory = round?.Directory ?? runtime.CurrentDirectory;
        if (id.ChainId != directory.ChainId)
            return Dropped(DropReason.WrongChain, fromValidator);
        if (proposal.DirectoryHash != directory.Hash)
            return Dropped(DropReason.WrongDirectory, fromValidator);
        var now = runtime.NowUnixMs;
        var deadline = proposal.Committee.Deadline;
        if (deadline <= now || deadline - now > (ulong)runtime.InvitationPolicy.MaximumTimeLeft.TotalMilliseconds)
            return Dropped(DropReason.DeadlineOutOfRange, fromValidator);
        if (!directory.TryGet(proposal.Committee.SequencerIndex, out var sequencer))
            return Dropped(DropReason.NotInCommittee, fromValidator);
        var signingDigest = default(Hash32);
        proposal.ComputeSigningDigest(signingDigest);
        if (!sequencer.SchnorrKey.Verify(signingDigest, proposal.Signature))
            return Dropped(DropReason.BadSignature, fromValidator);
        if (!EffectiveCommittee.TryVerify(directory, runtime.CommitteeSize, id, proposal.DirectoryHash, proposal.Committee,
                out var committee, out _, runtime.Context.CommitteeCache))
            return Dropped(DropReason.BadCommitteeProof, fromValidator);

        round ??= rounds.Create(id, directory, deadline);
        var block = new ProposedBlock(id.ChainId, id.Height, proposal.Committee.ParentHash, id.BlockHash,
            proposal.BlockSummary.ToArray());
        round.SetProposal(committee, encoded.ToArray(), block);
        invitations.JoinFromProposal(round);
        round.StartVoting();
        return round;
    }

    private Round? Dropped(DropReason reason, int fromValidator)
    {
        runtime.Drop(reason, fromValidator);
        return null;
    }
}
