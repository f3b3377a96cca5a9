using Sequencer.Core.Ports;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// One outbound request waiting for its answer. The <see cref="Router"/> decodes the response by its message type and
/// calls the matching method; a response of a type the request does not expect, or from another validator than the one
/// asked, counts as a failure of the request (the caller fails over exactly as on a timeout). Exactly one of the
/// answer methods or <see cref="OnFailed"/> is called per request, on the loop.
/// </summary>
internal abstract class PendingRequest(int toValidator)
{
    /// <summary>The validator the request went to: only its answer counts.</summary>
    public int ToValidator { get; } = toValidator;

    public virtual bool Expects(WireMessageType type) => false;

    public virtual void OnInvitationReply(in InvitationReply reply) => OnFailed(RequestFailure.MalformedResponse);

    public virtual void OnVoteAck(in VoteAck ack) => OnFailed(RequestFailure.MalformedResponse);

    public virtual void OnVoteSetDelta(in VoteSetDelta delta) => OnFailed(RequestFailure.MalformedResponse);

    public virtual void OnVoteSetSummary(in VoteSetSummary summary) => OnFailed(RequestFailure.MalformedResponse);

    public virtual void OnAttestation(in Attestation attestation) => OnFailed(RequestFailure.MalformedResponse);

    public abstract void OnFailed(RequestFailure failure);
}
