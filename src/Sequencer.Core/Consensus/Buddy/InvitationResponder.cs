using System.Collections.Immutable;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus.Topics;
using Sequencer.Core.Ports;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Buddy;

/// <summary>
/// A buddy's side of the invitation (DESIGN §3 step 2): verify it (<see cref="InvitationChecker"/>: signature, π, own
/// place in the draw, deadline), judge the load, answer with a signed accept or decline, and on accept start serving
/// the round. An invitation that does not verify gets no answer at all. Loop-only.
/// </summary>
/// <remarks>
/// <para><b>Why nothing unverifiable is ever declined.</b> A signed decline is the one thing that lets the sequencer
/// replace a member. Signing one for an invitation that did not verify would let a faulty sequencer manufacture
/// replacements and steer the committee; silence, by contrast, changes nothing — a silent member stays in.</para>
/// <para><b>Why the answer is not made durable first.</b> Unlike votes and attestations, an accept or decline cannot
/// make two certificates conflict: a restarted buddy that answers the same invitation differently at worst serves a
/// committee that replaced it (its attestations then bind a committee it is not on and never count) or is counted
/// silent. Safety rests on S1/S2 alone, which the vote and attestation paths enforce durably.</para>
/// </remarks>
internal sealed class InvitationResponder
{
    private readonly NodeRuntime _runtime;
    private readonly RoundTable _rounds;
    private readonly InvitationChecker _checker;

    public InvitationResponder(NodeRuntime runtime, RoundTable rounds)
    {
        _runtime = runtime;
        _rounds = rounds;
        _checker = new InvitationChecker(runtime.Context.Directory, runtime.OwnIndex, runtime.CommitteeSize,
            runtime.InvitationPolicy, runtime.Time, JudgeLoad, runtime.Context.CommitteeCache);
    }

    /// <summary>Set while the node stops: every invitation is declined as shutting down.</summary>
    public bool IsStopping { get; set; }

    public void OnInvitation(InboundRequestId request, int fromValidator, in Invitation invitation)
    {
        if (fromValidator != (int)Math.Min(invitation.SequencerIndex, int.MaxValue))
        {
            _runtime.Drop(DropReason.SenderMismatch, fromValidator);
            return;
        }
        if (_rounds.IsFinished(invitation.Round))
        {
            _runtime.Drop(DropReason.FinishedRound, fromValidator);
            return;
        }
        _rounds.TryGet(invitation.Round, out var round);
        if (round?.Buddy is { Invitation: { } accepted } && !accepted.Equals(invitation))
        {
            // Already serving this round under another invitation: a sequencer contradicting itself.
            _runtime.Drop(DropReason.ConflictingProposal, fromValidator);
            return;
        }

        var verdict = _checker.Check(invitation);
        if (verdict.Kind == InvitationVerdictKind.Refuse)
        {
            _runtime.Drop(DropReason.InvitationRefused, fromValidator);
            return;
        }
        if (verdict.Kind == InvitationVerdictKind.Accept && round?.Buddy is null)
            Serve(round, invitation, verdict.Seats!);

        var reply = Invitations.CreateReply(invitation, verdict, _runtime.Signer);
        var output = _runtime.Outbound.Begin();
        reply.Encode(output);
        _runtime.Network.SendResponse(request, _runtime.Outbound.Written);
    }

    /// <summary>
    /// A member that learns of its seat only from the proposal (its invitation was lost, or its answer) serves anyway:
    /// it stayed in the committee by staying silent, and everything it needs — the committee, the round, the deadline —
    /// is in the verified proposal. Serving costs the sequencer nothing and keeps the round live under message loss.
    /// </summary>
    public void JoinFromProposal(Round round)
    {
        if (round.Buddy is not null || round.Committee is not { } committee || !committee.Contains(_runtime.OwnIndex)
            || IsStopping || _rounds.BuddyRoundCount >= _runtime.Options.MaxConcurrentBuddyRounds)
            return;
        var buddy = new BuddyRound(_runtime, round, invitation: null);
        round.AddBuddy(buddy);
        round.OpenTopics(round.AdmissionOf(committee));
        buddy.Start();
    }

    private void Serve(Round? round, in Invitation invitation, CommitteeSeats seats)
    {
        round ??= _rounds.Create(invitation.Round, _runtime.CurrentDirectory, invitation.Deadline);
        var buddy = new BuddyRound(_runtime, round, invitation);
        round.AddBuddy(buddy);
        // Before the proposal names the committee, the topics admit every drawn candidate; the proposal narrows them.
        round.OpenTopics(round.Committee is { } committee
            ? round.AdmissionOf(committee)
            : new RoundAdmission(round.Id, round.Directory.Hash, seats.SequencerIndex, ImmutableArray.CreateRange(seats.Candidates)));
        buddy.Start();
    }

    private DeclineReason JudgeLoad(in Invitation invitation)
    {
        if (IsStopping)
            return DeclineReason.ShuttingDown;
        if (_rounds.TryGet(invitation.Round, out var round) && round.Buddy is not null)
            return DeclineReason.None;
        return _rounds.BuddyRoundCount >= _runtime.Options.MaxConcurrentBuddyRounds
            ? DeclineReason.Overloaded
            : DeclineReason.None;
    }
}
