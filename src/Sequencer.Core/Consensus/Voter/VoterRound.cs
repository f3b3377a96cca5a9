using Sequencer.Core.Ports;
using Sequencer.Core.Safety;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Voter;

/// <summary>
/// This node's vote in one round (DESIGN §3 step 5): validate the block, have <see cref="SafetyRules"/> sign the vote,
/// send it to <c>committee[H(voterIndex) mod n]</c> (<see cref="VoteRouting"/>) and fail over member by member until
/// <see cref="Copies"/> members acknowledge it, the round ends, or the deadline passes. Loop-only.
/// </summary>
/// <remarks>
/// <para><b>Why the record is written before the vote leaves.</b> <see cref="SafetyRules.SignVote"/> writes "voted
/// (block, decision) at this height" to the durable safety store and fsyncs it before it hands back the signature; the
/// vote is encoded only from what it hands back. A crash before the write loses a signature nobody has seen; a crash
/// after it leaves a record that makes the restarted node re-send the same vote (rule S1 returns the stored
/// signature) and refuse any other at this height. Had the vote left first, a crash in between could let the node
/// sign a conflicting vote after restart — exactly the double vote the safety argument excludes (DESIGN §3: two Accept
/// certificates at one height need more than W/3 of weight to vote twice).</para>
/// <para>A refusal (already voted differently at this height, height no longer tracked, store unavailable) is not a
/// crash: it is reported to the observer and this node simply does not vote in this round.</para>
/// <para>Fail-over happens on a failed request (timeout, unreachable) and on an acknowledgement that says try elsewhere
/// (not assigned, busy, unknown round — a silent member never learnt of the round). After a whole cycle through the
/// committee without success it waits one vote-request timeout and cycles again; the round's deadline ends it.</para>
/// <para><b>Why two copies.</b> A member gossips a vote in a delta at the end of the loop turn that acknowledged it; a
/// member that dies in between (or whose deltas are lost before its next summary) would take the vote with it, and the
/// voter, already acknowledged, would never send it again. So once one member holds the vote, it goes on to the next
/// member of the route too. That second copy costs no signature work where the first one's delta arrived first (the
/// duplicate is dropped before any verification, and acknowledged as held).</para>
/// </remarks>
internal sealed class VoterRound
{
    /// <summary>How many members must hold the vote before the voter stops sending it (fewer when the committee is smaller).</summary>
    internal const int Copies = 2;

    private readonly NodeRuntime _runtime;
    private readonly Round _round;
    private Vote _vote;
    private bool _stopped;
    private bool _allCopiesHeld;
    private int _firstHolder = -1;
    private int _holders;
    private int _firstSlot;
    private int _attempt;

    public VoterRound(NodeRuntime runtime, Round round)
    {
        _runtime = runtime;
        _round = round;
    }

    /// <summary>The decision this node signed, once it did.</summary>
    public Decision? Decision { get; private set; }

    /// <summary>Whether a member acknowledged the vote (the first copy).</summary>
    public bool IsAcknowledged => _firstHolder >= 0;

    public void Start()
    {
        var block = _round.Block!;
        ValueTask<Decision> validation;
        try
        {
            validation = _runtime.Context.BlockValidator.ValidateAsync(block, CancellationToken.None);
        }
        catch (Exception error) when (error is not SimulatedCrashException)
        {
            _runtime.Observer.OnBlockValidationFailed(_round.Id, error);
            return;
        }
        if (validation.IsCompletedSuccessfully)
        {
            OnValidated(validation.Result);
            return;
        }
        // Off the loop until the validator answers; its answer comes back as an event on the loop.
        var pending = validation.AsTask();
        pending.ContinueWith(
            static (task, state) =>
            {
                var self = (VoterRound)state!;
                self._runtime.Loop.Post(() => self.OnValidationCompleted(task));
            },
            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Stop() => _stopped = true;

    private void OnValidationCompleted(Task<Decision> task)
    {
        if (task.IsCompletedSuccessfully)
            OnValidated(task.Result);
        else
            _runtime.Observer.OnBlockValidationFailed(_round.Id, task.Exception?.InnerException ?? new TaskCanceledException(task));
    }

    private void OnValidated(Decision decision)
    {
        if (_stopped)
            return;
        if (!decision.IsDefined())
        {
            _runtime.Observer.OnBlockValidationFailed(_round.Id,
                new InvalidOperationException($"the block validator answered {(byte)decision}, which is neither accept (1) nor reject (2)"));
            return;
        }
        _vote = new Vote { Round = _round.Id, DirectoryHash = _round.Directory.Hash, Decision = decision };
        var signing = _runtime.SafetyRules.SignVote(ref _vote);
        if (!signing.IsSigned)
        {
            _runtime.Observer.OnSigningRefused(_round.Id, signing.Violation!);
            return;
        }
        Decision = decision;
        _firstSlot = VoteRouting.FirstSlot(_round.Id, _runtime.OwnIndex, _round.Committee!.Count);
        SendToCurrentMember();
    }

    /// <summary>Sends the signed vote to the member at the current attempt's slot.</summary>
    private void SendToCurrentMember()
    {
        if (_stopped || _allCopiesHeld)
            return;
        var committee = _round.Committee!;
        var target = committee.Members[VoteRouting.SlotAt(_firstSlot, _attempt, committee.Count)].ValidatorIndex;
        if (target == _firstHolder)
        {
            FailOver();
            return;
        }
        if (target == _runtime.OwnIndex)
        {
            SubmitToOwnBuddy();
            return;
        }
        var output = _runtime.Outbound.Begin();
        _vote.Encode(output);
        _runtime.Requests.Send(_runtime.Network, new PendingVote(this, target), SequencerProtocol.Vote,
            _runtime.Outbound.Written, _runtime.Options.VoteRequestTimeout);
        _runtime.Observer.OnVoteSent(_round.Id, _vote.Decision, target);
    }

    /// <summary>This node is the member the route names: its own buddy role takes the vote without a network hop.</summary>
    private void SubmitToOwnBuddy()
    {
        if (_round.Buddy is not { } buddy)
        {
            FailOver();
            return;
        }
        var outcome = buddy.SubmitOwnVote(_vote);
        _runtime.Observer.OnVoteSent(_round.Id, _vote.Decision, _runtime.OwnIndex);
        if (outcome is VoteOutcome.Recorded or VoteOutcome.Equivocation or VoteOutcome.Duplicate or VoteOutcome.Queued)
        {
            _runtime.Observer.OnVoteAcknowledged(_round.Id, VoteAckStatus.Recorded, _runtime.OwnIndex);
            OnHeld(_runtime.OwnIndex);
        }
        else
        {
            FailOver();
        }
    }

    private void OnAck(in VoteAck ack, int fromValidator)
    {
        if (_stopped || _allCopiesHeld)
            return;
        if (ack.Round != _round.Id || ack.VoterIndex != (uint)_runtime.OwnIndex)
        {
            _runtime.Drop(DropReason.BadResponse, fromValidator);
            FailOver();
            return;
        }
        _runtime.Observer.OnVoteAcknowledged(_round.Id, ack.Status, fromValidator);
        switch (ack.Status)
        {
            case VoteAckStatus.Recorded:
            case VoteAckStatus.Duplicate:
                OnHeld(fromValidator);
                break;
            case VoteAckStatus.RoundClosed:
                // The member has finished the round (decided or past its deadline): nobody needs this vote any more.
                _stopped = true;
                break;
            default:
                // Not assigned, busy, unknown round, or a refusal an honest member would never give our signed vote:
                // the next member decides.
                FailOver();
                break;
        }
    }

    /// <summary>A member holds the vote: done at <see cref="Copies"/> members (or the whole committee), else on to the next.</summary>
    private void OnHeld(int member)
    {
        // Copies is at most 2, so the first holder is the only member the route must skip from here on.
        if (_firstHolder < 0)
            _firstHolder = member;
        if (++_holders >= Math.Min(Copies, _round.Committee!.Count))
        {
            _allCopiesHeld = true;
            return;
        }
        FailOver();
    }

    private void FailOver()
    {
        if (_stopped || _allCopiesHeld)
            return;
        _attempt++;
        if (_attempt % _round.Committee!.Count != 0)
        {
            SendToCurrentMember();
            return;
        }
        // A whole cycle failed: members may still be learning of the round. Try again after one request timeout.
        _round.Triggers.Once(_runtime.Options.VoteRequestTimeout, SendToCurrentMember);
    }

    /// <summary>The vote request in flight to one member.</summary>
    private sealed class PendingVote(VoterRound voter, int target) : PendingRequest(target)
    {
        public override bool Expects(WireMessageType type) => type == WireMessageType.VoteAck;

        public override void OnVoteAck(in VoteAck ack) => voter.OnAck(ack, ToValidator);

        public override void OnFailed(RequestFailure failure) => voter.FailOver();
    }
}
