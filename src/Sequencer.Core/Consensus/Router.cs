using Sequencer.Core.Consensus.Buddy;
using Sequencer.Core.Consensus.Certificates;
using Sequencer.Core.Ports;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// The one place that reads an inbound payload's message type and hands the decoded message to the round and role it
/// belongs to (the seed's <c>Router</c>), and that matches every response to the request waiting for it. Nothing it is
/// given can make it throw: garbage, truncations, messages of the wrong type for the protocol or topic, messages for
/// unknown or finished rounds, responses nobody asked for — each is dropped and counted by reason
/// (<see cref="DropReason"/>, <see cref="Metadata.GetDropCount"/>). Loop-only.
/// </summary>
/// <remarks>
/// <para>Direct protocols: <see cref="SequencerProtocol.Invitation"/> carries invitations;
/// <see cref="SequencerProtocol.Vote"/> votes (answered with a <see cref="VoteAck"/>, "round closed" for a finished
/// round, "unknown round" for a round this node does not serve as a buddy); <see cref="SequencerProtocol.Sync"/> a
/// member's <see cref="VoteFetch"/> (answered with a <see cref="VoteSetDelta"/>) or the sequencer's result pull, which
/// is the round's <see cref="Proposal"/> sent again (answered with the member's attestation or summary).</para>
/// <para>Topics: the announce topic carries proposals (vote requests) and certificates; a round's consensus topic its
/// proposal and attestations; its CRDT topic deltas and summaries.</para>
/// </remarks>
public sealed class Router
{
    private readonly NodeRuntime _runtime;
    private readonly RoundTable _rounds;
    private readonly ProposalIntake _proposals;
    private readonly InvitationResponder _invitations;
    private readonly CertificateIntake _certificates;

    internal Router(NodeRuntime runtime, RoundTable rounds, ProposalIntake proposals, InvitationResponder invitations,
        CertificateIntake certificates)
    {
        _runtime = runtime;
        _rounds = rounds;
        _proposals = proposals;
        _invitations = invitations;
        _certificates = certificates;
    }

    /// <summary>False once the node stopped: everything inbound is then ignored.</summary>
    internal bool IsAccepting { get; set; } = true;

    public long GetDropCount(DropReason reason) => _runtime.Drops[reason];

    /// <summary>A request or topic message is looked at only while the node serves, and only from a validator.</summary>
    private bool TryAdmit(int fromValidator)
    {
        if (!IsAccepting)
            return false;
        if (fromValidator >= 0)
            return true;
        _runtime.Drop(DropReason.NotAValidator, fromValidator);
        return false;
    }

    internal void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload)
    {
        if (!TryAdmit(fromValidator))
            return;
        using var inbound = InboundPayload.Open(payload);
        if (!inbound.IsWellFormed)
        {
            _runtime.Drop(DropReason.Malformed, fromValidator);
            return;
        }
        var type = inbound.Type;
        switch (protocol, type)
        {
            case (SequencerProtocol.Invitation, WireMessageType.Invitation):
                if (Decoded(Invitation.TryDecode(inbound.Sequence, out var invitation), fromValidator))
                    _invitations.OnInvitation(request, fromValidator, invitation);
                break;
            case (SequencerProtocol.Vote, WireMessageType.Vote):
                if (Decoded(Vote.TryDecode(inbound.Sequence, out var vote), fromValidator))
                    OnVote(request, fromValidator, vote);
                break;
            case (SequencerProtocol.Sync, WireMessageType.VoteFetch):
                if (Decoded(VoteFetch.TryDecode(inbound.Sequence, out var fetch), fromValidator))
                    OnFetch(request, fromValidator, fetch);
                break;
            case (SequencerProtocol.Sync, WireMessageType.Proposal):
                if (Decoded(Proposal.TryDecode(inbound.Sequence, out var proposal), fromValidator))
                    OnResultPull(request, fromValidator, proposal, inbound.Memory.Span);
                break;
            default:
                _runtime.Drop(DropReason.UnexpectedMessage, fromValidator);
                break;
        }
    }

    internal void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload)
    {
        if (!IsAccepting)
            return;
        if (!_runtime.Requests.TryTake(id, out var pending))
        {
            _runtime.Drop(DropReason.UnknownRequest, fromValidator);
            return;
        }
        if (fromValidator != pending.ToValidator)
        {
            Fail(pending, DropReason.BadResponse, fromValidator);
            return;
        }
        using var inbound = InboundPayload.Open(payload);
        if (!inbound.IsWellFormed)
        {
            Fail(pending, DropReason.Malformed, fromValidator);
            return;
        }
        var type = inbound.Type;
        if (!pending.Expects(type))
        {
            Fail(pending, DropReason.UnexpectedMessage, fromValidator);
            return;
        }
        switch (type)
        {
            case WireMessageType.InvitationReply when InvitationReply.TryDecode(inbound.Sequence, out var reply).IsOk:
                pending.OnInvitationReply(reply);
                break;
            case WireMessageType.VoteAck when VoteAck.TryDecode(inbound.Sequence, out var ack).IsOk:
                pending.OnVoteAck(ack);
                break;
            case WireMessageType.VoteSetDelta when VoteSetDelta.TryDecode(inbound.Sequence, out var delta).IsOk:
                pending.OnVoteSetDelta(delta);
                break;
            case WireMessageType.VoteSetSummary when VoteSetSummary.TryDecode(inbound.Sequence, out var summary).IsOk:
                pending.OnVoteSetSummary(summary);
                break;
            case WireMessageType.Attestation when Attestation.TryDecode(inbound.Sequence, out var attestation).IsOk:
                pending.OnAttestation(attestation);
                break;
            default:
                Fail(pending, DropReason.Malformed, fromValidator);
                break;
        }
    }

    internal void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason)
    {
        if (!IsAccepting)
            return;
        if (_runtime.Requests.TryTake(id, out var pending))
            pending.OnFailed(reason);
        else
            _runtime.Drop(DropReason.UnknownRequest, toValidator);
    }

    internal void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload)
    {
        if (!TryAdmit(fromValidator))
            return;
        using var inbound = InboundPayload.Open(payload);
        if (!inbound.IsWellFormed)
        {
            _runtime.Drop(DropReason.Malformed, fromValidator);
            return;
        }
        var type = inbound.Type;
        if (string.Equals(topic, _runtime.Options.PubSub_AnnounceChannel, StringComparison.Ordinal))
        {
            OnAnnouncement(type, inbound, fromValidator);
            return;
        }
        if (!_rounds.TryGetTopic(topic, out var round, out var kind))
        {
            _runtime.Drop(DropReason.UnknownRound, fromValidator);
            return;
        }
        switch (kind, type)
        {
            case (RoundTopicKind.Consensus, WireMessageType.Proposal):
                if (Proposal.TryDecode(inbound.Sequence, out var proposal).IsOk && proposal.Round == round.Id)
                    _proposals.Accept(proposal, inbound.Memory.Span, fromValidator);
                else
                    _runtime.Drop(DropReason.Malformed, fromValidator);
                break;
            case (RoundTopicKind.Consensus, WireMessageType.Attestation):
                if (Decoded(Attestation.TryDecode(inbound.Sequence, out var attestation), fromValidator))
                    round.OnAttestation(attestation, fromValidator);
                break;
            case (RoundTopicKind.CrdtSync, WireMessageType.VoteSetDelta):
                if (!VoteSetDelta.TryDecode(inbound.Sequence, out var delta).IsOk)
                    _runtime.Drop(DropReason.Malformed, fromValidator);
                else if (!IsServingMember(round, fromValidator))
                    _runtime.Drop(DropReason.NotInCommittee, fromValidator);
                else
                    round.Buddy?.OnDelta(delta, fromValidator);
                break;
            case (RoundTopicKind.CrdtSync, WireMessageType.VoteSetSummary):
                if (!VoteSetSummary.TryDecode(inbound.Sequence, out var summary).IsOk)
                    _runtime.Drop(DropReason.Malformed, fromValidator);
                else if (summary.Round != round.Id)
                    _runtime.Drop(DropReason.UnknownRound, fromValidator);
                else if (summary.SenderIndex != (uint)fromValidator)
                    _runtime.Drop(DropReason.SenderMismatch, fromValidator);
                else if (!IsServingMember(round, fromValidator))
                    _runtime.Drop(DropReason.NotInCommittee, fromValidator);
                else
                {
                    round.Buddy?.OnSummary(summary, fromValidator);
                    round.Sequencer?.OnSummary(summary, fromValidator);
                }
                break;
            default:
                _runtime.Drop(DropReason.UnexpectedMessage, fromValidator);
                break;
        }
    }

    private void OnAnnouncement(WireMessageType type, in InboundPayload inbound, int fromValidator)
    {
        switch (type)
        {
            case WireMessageType.Proposal:
                if (Decoded(Proposal.TryDecode(inbound.Sequence, out var proposal), fromValidator))
                    _proposals.Accept(proposal, inbound.Memory.Span, fromValidator);
                break;
            case WireMessageType.Certificate:
                if (Decoded(Certificate.TryDecode(inbound.Sequence, out var certificate), fromValidator))
                    _certificates.OnCertificate(certificate, inbound.Memory.Span, fromValidator);
                break;
            default:
                _runtime.Drop(DropReason.UnexpectedMessage, fromValidator);
                break;
        }
    }

    private void OnVote(InboundRequestId request, int fromValidator, in Vote vote)
    {
        if (_rounds.TryGet(vote.Round, out var round) && round.Buddy is { } buddy)
        {
            buddy.OnVote(request, vote);
            return;
        }
        var finished = _rounds.IsFinished(vote.Round);
        _runtime.Drop(finished ? DropReason.FinishedRound : DropReason.UnknownRound, fromValidator);
        var output = _runtime.Outbound.Begin();
        new VoteAck
        {
            Round = vote.Round,
            VoterIndex = vote.VoterIndex,
            Status = finished ? VoteAckStatus.RoundClosed : VoteAckStatus.UnknownRound,
        }.Encode(output);
        _runtime.Network.SendResponse(request, _runtime.Outbound.Written);
    }

    private void OnFetch(InboundRequestId request, int fromValidator, in VoteFetch fetch)
    {
        if (!_rounds.TryGet(fetch.Round, out var round) || round.Buddy is not { } buddy)
        {
            _runtime.Drop(_rounds.IsFinished(fetch.Round) ? DropReason.FinishedRound : DropReason.UnknownRound, fromValidator);
            return;
        }
        if (fetch.RequesterIndex != (uint)fromValidator)
        {
            _runtime.Drop(DropReason.SenderMismatch, fromValidator);
            return;
        }
        if (round.Gate?.Admission.IsMemberOrSequencer(fromValidator) != true)
        {
            _runtime.Drop(DropReason.NotInCommittee, fromValidator);
            return;
        }
        buddy.OnFetch(request, fromValidator, fetch);
    }

    private void OnResultPull(InboundRequestId request, int fromValidator, in Proposal proposal, ReadOnlySpan<byte> encoded)
    {
        // The pull carries the proposal itself, so a member that missed it on the topic learns it here (checked in full).
        var round = _proposals.Accept(proposal, encoded, fromValidator);
        if (round?.Buddy is { } buddy)
            buddy.OnResultPull(request);
        else if (round is not null)
            _runtime.Drop(DropReason.NotInCommittee, fromValidator);
    }

    /// <summary>Whether an inbound message decoded; one that did not is dropped as malformed.</summary>
    private bool Decoded(WireResult result, int fromValidator)
    {
        if (result.IsOk)
            return true;
        _runtime.Drop(DropReason.Malformed, fromValidator);
        return false;
    }

    /// <summary>Whether the sender may speak on the round's CRDT topic (the topic validator's rule, re-checked on the loop).</summary>
    private static bool IsServingMember(Round round, int fromValidator) =>
        round.Gate?.Admission.IsMember(fromValidator) == true;

    private void Fail(PendingRequest pending, DropReason reason, int fromValidator)
    {
        _runtime.Drop(reason, fromValidator);
        pending.OnFailed(RequestFailure.MalformedResponse);
    }
}
