using System.Buffers;
using Sequencer.Core.Crypto;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// A sequencer that shows different things to different peers. Each proposal it publishes (on the announce topic and
/// on the round's consensus topic) reaches one half of the subscribers as it is; the other half gets a proposal for
/// another block at the same height — same committee proof, re-signed — or, when the committee was changed by
/// declines, the same block under a different committee (the declines left out). Honest voters vote once per height
/// and honest buddies attest once, so at most one of the faces can gather a certificate.
/// </summary>
public sealed class TwoFacedSequencer : ByzantineBehaviour
{
    public override string Name => "two-faced-sequencer";

    public override void OnPublish(ByzantineContext context, string topic, ReadOnlyMemory<byte> payload)
    {
        if (WireMessages.TypeOf(payload) != WireMessageType.Proposal
            || !Proposal.TryDecode(WireMessages.Sequence(payload), out var proposal).IsOk)
        {
            context.Endpoint.Publish(topic, payload);
            return;
        }
        var half = WireMessages.RandomHalf(context.Random);
        context.Endpoint.PublishTo(topic, payload, e => half(e.ValidatorIndex));
        context.Endpoint.PublishTo(topic, OtherFace(context, proposal), e => !half(e.ValidatorIndex));
    }

    private static byte[] OtherFace(ByzantineContext context, Proposal proposal)
    {
        var other = proposal;
        other.BlockSummary = new ReadOnlySequence<byte>(proposal.BlockSummary.ToArray());
        if (proposal.Committee.DeclineCount > 0)
        {
            var committee = new CommitteeProof
            {
                SequencerIndex = proposal.Committee.SequencerIndex,
                ParentHash = proposal.Committee.ParentHash,
                Proof = proposal.Committee.Proof,
                Deadline = proposal.Committee.Deadline,
            };
            other.Committee = committee;
        }
        else
        {
            var blockHash = default(Hash32);
            Sha256.Hash(proposal.Round.BlockHash.AsReadOnlySpan(), blockHash);
            other.Round = new RoundId(proposal.Round.ChainId, proposal.Round.Height, blockHash);
            var summary = proposal.BlockSummary.ToArray();
            other.BlockSummary = new ReadOnlySequence<byte>([.. summary, 0x2F]);
            if (other.BlockSummary.Length > WireLimits.MaxBlockSummaryLength)
                other.BlockSummary = other.BlockSummary.Slice(1);
        }
        var digest = default(Hash32);
        other.ComputeSigningDigest(digest);
        context.Sign(digest, other.Signature);
        return ByzantineContext.Encode(other.Encode);
    }
}
