using System.Buffers;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

/// <summary>
/// Generators of valid messages of every type, with the protocol's boundary values mixed in (index 0 and 65,535,
/// 0 and 23 declines, empty and full summaries …). Signatures are random bytes here; the signed-message properties
/// sign with real keys instead (<see cref="SignedMessages"/>).
/// </summary>
public static class WireGenerators
{
    public static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(b => (byte)b);

    public static Gen<byte[]> Bytes(int length) => Gen.ArrayOf(Byte, length);

    public static readonly Gen<ulong> UInt64 = Gen.Frequency(
        (1, Gen.Constant(0UL)),
        (1, Gen.Constant(ulong.MaxValue)),
        (6, Bytes(8).Select(b => BinaryPrimitives.ReadUInt64BigEndian(b))));

    public static readonly Gen<uint> ValidatorIndex = Gen.Frequency(
        (1, Gen.Constant(0u)),
        (1, Gen.Constant((uint)WireLimits.MaxValidators - 1)),
        (6, Gen.Choose(0, WireLimits.MaxValidators - 1).Select(i => (uint)i)));

    public static readonly Gen<Hash32> Hash = Bytes(Hash32.Length).Select(b => Hash32.FromSpan(b));

    public static readonly Gen<SchnorrSignature> Signature =
        Bytes(SchnorrSignature.Length).Select(b => SchnorrSignature.FromSpan(b));

    public static readonly Gen<VrfProofBytes> Proof = Bytes(VrfProofBytes.Length).Select(b =>
    {
        b[0] = (byte)(2 + (b[0] & 1));
        return VrfProofBytes.FromSpan(b);
    });

    public static readonly Gen<ulong> Deadline = UInt64.Select(d => d == 0 ? 1 : d);

    public static readonly Gen<Decision> Decision = Gen.Elements(Core.Wire.Decision.Accept, Core.Wire.Decision.Reject);

    public static readonly Gen<DeclineReason> DeclineReason = Gen.Choose(1, 4).Select(r => (DeclineReason)r);

    public static readonly Gen<RoundId> Round =
        from chainId in UInt64
        from height in UInt64
        from blockHash in Hash
        select new RoundId(chainId, height, blockHash);

    public static readonly Gen<Vote> Vote =
        from round in Round
        from directory in Hash
        from voter in ValidatorIndex
        from decision in Decision
        from signature in Signature
        select new Vote { Round = round, DirectoryHash = directory, VoterIndex = voter, Decision = decision, Signature = signature };

    public static readonly Gen<VoteAck> VoteAck =
        from round in Round
        from voter in ValidatorIndex
        from status in Gen.Choose(1, 9)
        select new VoteAck { Round = round, VoterIndex = voter, Status = (VoteAckStatus)status };

    public static readonly Gen<Invitation> Invitation =
        from round in Round
        from directory in Hash
        from parent in Hash
        from sequencer in ValidatorIndex
        from buddy in ValidatorIndex
        from proof in Proof
        from deadline in Deadline
        from signature in Signature
        select new Invitation
        {
            Round = round, DirectoryHash = directory, ParentHash = parent, SequencerIndex = sequencer,
            BuddyIndex = buddy == sequencer ? (buddy + 1) % WireLimits.MaxValidators : buddy,
            Proof = proof, Deadline = deadline, Signature = signature,
        };

    public static readonly Gen<InvitationReply> InvitationReply =
        from round in Round
        from directory in Hash
        from invitationDigest in Hash
        from buddy in ValidatorIndex
        from decline in Gen.Elements(false, true)
        from reason in DeclineReason
        from signature in Signature
        select new InvitationReply
        {
            Round = round, DirectoryHash = directory, InvitationDigest = invitationDigest, BuddyIndex = buddy,
            Answer = decline ? InvitationAnswer.Decline : InvitationAnswer.Accept,
            Reason = decline ? reason : Core.Wire.DeclineReason.None, Signature = signature,
        };

    public static readonly Gen<SignedDecline> SignedDecline =
        from buddy in ValidatorIndex
        from reason in DeclineReason
        from signature in Signature
        select new SignedDecline { BuddyIndex = buddy, Reason = reason, Signature = signature };

    public static readonly Gen<CommitteeProof> CommitteeProof =
        from sequencer in ValidatorIndex
        from parent in Hash
        from proof in Proof
        from deadline in Deadline
        from count in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(WireLimits.MaxDeclines)), (4, Gen.Choose(0, WireLimits.MaxDeclines)))
        from declines in Gen.ArrayOf(SignedDecline, count)
        select BuildProof(sequencer, parent, proof, deadline, declines);

    public static readonly Gen<byte[]> BlockSummary = Gen.Frequency(
        (1, Gen.Constant(Array.Empty<byte>())),
        (1, Bytes(WireLimits.MaxBlockSummaryLength)),
        (6, Gen.Choose(0, 200).SelectMany(Bytes)));

    public static readonly Gen<Proposal> Proposal =
        from round in Round
        from directory in Hash
        from committee in CommitteeProof
        from summary in BlockSummary
        from signature in Signature
        select new Proposal
        {
            Round = round, DirectoryHash = directory, Committee = committee,
            BlockSummary = new ReadOnlySequence<byte>(summary), Signature = signature,
        };

    public static readonly Gen<Attestation> Attestation =
        from round in Round
        from directory in Hash
        from committeeDigest in Hash
        from attester in ValidatorIndex
        from value in Decision
        from signature in Signature
        select new Attestation
        {
            Round = round, DirectoryHash = directory, CommitteeDigest = committeeDigest, AttesterIndex = attester,
            Value = value, Signature = signature,
        };

    public static readonly Gen<Certificate> Certificate =
        from round in Round
        from directory in Hash
        from value in Decision
        from committee in CommitteeProof
        from bitmap in Gen.Frequency(
            (1, Gen.Constant((1 << WireLimits.MaxCommitteeCandidates) - 1)),
            (1, Gen.Constant(1)),
            (6, Gen.Choose(1, (1 << WireLimits.MaxCommitteeCandidates) - 1)))
        from signatures in Gen.ArrayOf(Signature, WireLimits.MaxCommitteeCandidates)
        select BuildCertificate(round, directory, value, committee, (uint)bitmap, signatures);

    public static readonly Gen<VoteSetEntry> VoteSetEntry =
        from voter in ValidatorIndex
        from decision in Decision
        from signature in Signature
        select new VoteSetEntry { VoterIndex = voter, Decision = decision, Signature = signature };

    public static readonly Gen<DeltaMessage> VoteSetDelta =
        from round in Round
        from directory in Hash
        from count in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 40)))
        from entries in Gen.ArrayOf(VoteSetEntry, count)
        select new DeltaMessage(round, directory, Canonical(entries));

    /// <summary>Bitmap bytes, possibly with trailing zero bytes (the encoder drops them).</summary>
    public static readonly Gen<byte[]> Bitmap = Gen.Frequency(
        (1, Gen.Constant(Array.Empty<byte>())),
        (1, Bytes(WireLimits.MaxVoterBitmapLength).Select(b => { b[^1] |= 0x80; return b; })),
        (6, Gen.Choose(0, 64).SelectMany(Bytes)));

    /// <summary>A pair of bitmaps per decision; the reject bitmap is usually short (few voters equivocate).</summary>
    public static readonly Gen<VoteBitmaps> VoteBitmaps =
        from accepts in Bitmap
        from rejects in Gen.Frequency((2, Gen.Constant(Array.Empty<byte>())), (3, Bitmap))
        select new VoteBitmaps(new VoterBitmap(accepts), new VoterBitmap(rejects));

    public static readonly Gen<VoteSetSummary> VoteSetSummary =
        from round in Round
        from sender in ValidatorIndex
        from held in VoteBitmaps
        select new VoteSetSummary { Round = round, SenderIndex = sender, Held = held };

    public static readonly Gen<VoteFetch> VoteFetch =
        from round in Round
        from requester in ValidatorIndex
        from bitmaps in VoteBitmaps
        from wanted in ValidatorIndex
        from decision in Decision
        select new VoteFetch { Round = round, RequesterIndex = requester, Wanted = WithVote(bitmaps, wanted, decision) };

    public static readonly Gen<WireSample> Sample = Gen.OneOf(
        Invitation.Select(m => ToSample(WireMessageType.Invitation, m)),
        InvitationReply.Select(m => ToSample(WireMessageType.InvitationReply, m)),
        Proposal.Select(m => ToSample(WireMessageType.Proposal, m)),
        Vote.Select(m => ToSample(WireMessageType.Vote, m)),
        VoteAck.Select(m => ToSample(WireMessageType.VoteAck, m)),
        VoteSetDelta.Select(m => ToSample(WireMessageType.VoteSetDelta, m)),
        VoteSetSummary.Select(m => ToSample(WireMessageType.VoteSetSummary, m)),
        VoteFetch.Select(m => ToSample(WireMessageType.VoteFetch, m)),
        Attestation.Select(m => ToSample(WireMessageType.Attestation, m)),
        Certificate.Select(m => ToSample(WireMessageType.Certificate, m)));

    /// <summary>Segment sizes for splitting an encoding (zeros make empty segments).</summary>
    public static readonly Gen<int[]> SegmentSizes = Gen.NonEmptyListOf(Gen.Choose(0, 9)).Select(sizes => sizes.ToArray());

    public static WireSample ToSample(WireMessageType type, object message) => new(type, message, WireCodecs.Encode(message));

    public static CommitteeProof BuildProof(
        uint sequencer, Hash32 parent, VrfProofBytes proof, ulong deadline, IEnumerable<SignedDecline> declines)
    {
        var committee = new CommitteeProof { SequencerIndex = sequencer, ParentHash = parent, Proof = proof, Deadline = deadline };
        var seen = new HashSet<uint> { sequencer };
        foreach (var decline in declines)
        {
            if (seen.Add(decline.BuddyIndex))
                committee.AddDecline(decline);
        }
        return committee;
    }

    public static Certificate BuildCertificate(
        RoundId round, Hash32 directory, Decision value, CommitteeProof committee, uint bitmap,
        SchnorrSignature[] signatures)
    {
        var certificate = new Certificate { Round = round, DirectoryHash = directory, Value = value, Committee = committee };
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if ((bitmap & (1u << position)) != 0)
                certificate.AddSigner(position, signatures[position]);
        }
        return certificate;
    }

    /// <summary>Sorted by (voter, decision), duplicates of that pair dropped: the order a delta requires.</summary>
    public static VoteSetEntry[] Canonical(IEnumerable<VoteSetEntry> entries) =>
        entries.GroupBy(e => (e.VoterIndex, e.Decision)).Select(g => g.First())
            .OrderBy(e => e.VoterIndex).ThenBy(e => e.Decision).ToArray();

    /// <summary>The bitmaps with at least the vote (voter, decision) named: a fetch never asks for nothing.</summary>
    private static VoteBitmaps WithVote(VoteBitmaps bitmaps, uint voter, Decision decision)
    {
        var accepts = bitmaps.Accepts.Bytes.ToArray();
        var rejects = bitmaps.Rejects.Bytes.ToArray();
        if (decision == Core.Wire.Decision.Accept)
            accepts = WithBit(accepts, voter);
        else
            rejects = WithBit(rejects, voter);
        return new VoteBitmaps(new VoterBitmap(accepts), new VoterBitmap(rejects));
    }

    private static byte[] WithBit(byte[] bitmap, uint index)
    {
        var length = Math.Max(bitmap.Length, VoterBitmap.GetByteLength((int)index + 1));
        var result = new byte[length];
        bitmap.CopyTo(result, 0);
        VoterBitmap.Set(result, index);
        return result;
    }
}

/// <summary>For <c>[Property(Arbitrary = …)]</c>: any valid message.</summary>
public static class WireArbitraries
{
    public static Arbitrary<WireSample> Samples() => WireGenerators.Sample.ToArbitrary();
}
