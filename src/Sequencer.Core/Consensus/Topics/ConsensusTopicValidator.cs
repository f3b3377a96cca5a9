using Sequencer.Core.Ports;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Topics;

/// <summary>
/// Admits to a round's consensus topic only its proposal, from its sequencer, and attestations from committee members
/// signed as themselves, all bound to this round and directory. Everything else is rejected (GossipSub lowers the
/// sender's score). Signatures are checked on the loop, where the committee digest is known; here the sender is the
/// transport-authenticated originator, so nobody can speak for a member without that member's node key.
/// </summary>
internal sealed class ConsensusTopicValidator(RoundGate gate) : ITopicValidator
{
    public TopicVerdict Validate(int fromValidator, ReadOnlySpan<byte> payload)
    {
        if (fromValidator < 0)
            return TopicVerdict.Reject;
        var admission = gate.Admission;
        using var inbound = InboundPayload.Open(payload);
        if (!inbound.IsWellFormed)
            return TopicVerdict.Reject;
        switch (inbound.Type)
        {
            case WireMessageType.Proposal:
                if (!Proposal.TryDecode(inbound.Sequence, out var proposal).IsOk)
                    return TopicVerdict.Reject;
                return proposal.Round == admission.Round && proposal.DirectoryHash == admission.DirectoryHash
                    && fromValidator == admission.SequencerIndex && proposal.Committee.SequencerIndex == (uint)fromValidator
                        ? TopicVerdict.Accept
                        : TopicVerdict.Reject;
            case WireMessageType.Attestation:
                if (!Attestation.TryDecode(inbound.Sequence, out var attestation).IsOk)
                    return TopicVerdict.Reject;
                return attestation.Round == admission.Round && attestation.DirectoryHash == admission.DirectoryHash
                    && attestation.AttesterIndex == (uint)fromValidator && admission.IsMember(fromValidator)
                        ? TopicVerdict.Accept
                        : TopicVerdict.Reject;
            default:
                return TopicVerdict.Reject;
        }
    }
}
