using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="Proposal.TryDecode"/>, committee proof and block summary included; a decoded proposal also gives its
/// signing digest, its committee digest and every decline's signing digest.
/// </summary>
internal sealed class ProposalTarget : WireMessageTarget<Proposal>
{
    public override string Name => "wire-proposal";

    protected override WireMessageType Type => WireMessageType.Proposal;

    public override IEnumerable<byte[]> Seeds()
    {
        var proposal = new Proposal
        {
            Round = Round(1), DirectoryHash = Hash(2), Signature = Signature(3),
            BlockSummary = new ReadOnlySequence<byte>("block 1000001: 12 transactions"u8.ToArray()),
        };
        proposal.Committee = SampleCommittee(declines: 0);
        yield return Encoded(proposal.Encode);
        proposal.Committee = SampleCommittee(declines: 2);
        proposal.BlockSummary = default;
        yield return Encoded(proposal.Encode);
    }

    /// <summary>A committee proof as proposals and certificates carry it, with some declines.</summary>
    internal static CommitteeProof SampleCommittee(int declines)
    {
        var committee = new CommitteeProof { SequencerIndex = 5, ParentHash = Hash(7), Proof = Proof(8), Deadline = 1_700_000_000_000 };
        for (var i = 0; i < declines; i++)
            committee.AddDecline(new SignedDecline { BuddyIndex = (uint)(10 + i), Reason = DeclineReason.Overloaded, Signature = Signature(9) });
        return committee;
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out Proposal message) =>
        Proposal.TryDecode(input, out message);

    protected override void Encode(in Proposal message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in Proposal left, in Proposal right) => left.Equals(right);

    protected override void UseDecoded(in Proposal message)
    {
        Span<byte> digest = stackalloc byte[32];
        message.ComputeSigningDigest(digest);
        message.Committee.ComputeDigest(message.Round, message.DirectoryHash, digest);
        for (var i = 0; i < message.Committee.DeclineCount; i++)
            message.Committee.ComputeDeclineSigningDigest(message.Round, message.DirectoryHash, i, digest);
    }
}
