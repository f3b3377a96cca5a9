using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Topics;

/// <summary>
/// Admits to the network-wide announce topic only proposals (vote requests) signed by the sequencer they name and sent
/// by it, and well-formed certificates, for the directory's chain and epoch. A proposal's signature is checked here,
/// because every validator would otherwise forward a forged vote request across the whole network; a certificate's
/// signatures and committee proof are checked on the loop (they cost a VRF verification and up to 23 signatures,
/// once per round per node). A message for another epoch is ignored rather than rejected: it is stale, not forged.
/// </summary>
internal sealed class AnnounceTopicValidator(IValidatorDirectorySource directories) : ITopicValidator
{
    public TopicVerdict Validate(int fromValidator, ReadOnlySpan<byte> payload)
    {
        if (fromValidator < 0)
            return TopicVerdict.Reject;
        var directory = directories.Current;
        using var inbound = InboundPayload.Open(payload);
        if (!inbound.IsWellFormed)
            return TopicVerdict.Reject;
        switch (inbound.Type)
        {
            case WireMessageType.Proposal:
                if (!Proposal.TryDecode(inbound.Sequence, out var proposal).IsOk || proposal.Round.ChainId != directory.ChainId)
                    return TopicVerdict.Reject;
                if (proposal.DirectoryHash != directory.Hash)
                    return TopicVerdict.Ignore;
                if (proposal.Committee.SequencerIndex != (uint)fromValidator
                    || !directory.TryGet(proposal.Committee.SequencerIndex, out var sequencer))
                    return TopicVerdict.Reject;
                var digest = default(Hash32);
                proposal.ComputeSigningDigest(digest);
                return sequencer.SchnorrKey.Verify(digest, proposal.Signature) ? TopicVerdict.Accept : TopicVerdict.Reject;
            case WireMessageType.Certificate:
                if (!Certificate.TryDecode(inbound.Sequence, out var certificate).IsOk
                    || certificate.Round.ChainId != directory.ChainId)
                    return TopicVerdict.Reject;
                return certificate.DirectoryHash == directory.Hash ? TopicVerdict.Accept : TopicVerdict.Ignore;
            default:
                return TopicVerdict.Reject;
        }
    }
}
