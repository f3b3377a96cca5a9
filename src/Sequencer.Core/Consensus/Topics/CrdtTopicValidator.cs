using Sequencer.Core.Ports;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Topics;

/// <summary>
/// Admits to a round's CRDT topic only vote-set deltas and summaries from committee members, bound to this round (and,
/// for deltas, this directory), a summary's self-declared sender being its authenticated originator. Each vote inside a
/// delta is still verified against its voter's signature by the pipeline; this only keeps outsiders off the topic.
/// </summary>
internal sealed class CrdtTopicValidator(RoundGate gate) : ITopicValidator
{
    public TopicVerdict Validate(int fromValidator, ReadOnlySpan<byte> payload)
    {
        var admission = gate.Admission;
        if (!admission.IsMember(fromValidator))
            return TopicVerdict.Reject;
        using var inbound = InboundPayload.Open(payload);
        if (!inbound.IsWellFormed)
            return TopicVerdict.Reject;
        switch (inbound.Type)
        {
            case WireMessageType.VoteSetDelta:
                if (!VoteSetDelta.TryDecode(inbound.Sequence, out var delta).IsOk)
                    return TopicVerdict.Reject;
                return delta.Round == admission.Round && delta.DirectoryHash == admission.DirectoryHash
                    ? TopicVerdict.Accept
                    : TopicVerdict.Reject;
            case WireMessageType.VoteSetSummary:
                if (!VoteSetSummary.TryDecode(inbound.Sequence, out var summary).IsOk)
                    return TopicVerdict.Reject;
                return summary.Round == admission.Round && summary.SenderIndex == (uint)fromValidator
                    ? TopicVerdict.Accept
                    : TopicVerdict.Reject;
            default:
                return TopicVerdict.Reject;
        }
    }
}
