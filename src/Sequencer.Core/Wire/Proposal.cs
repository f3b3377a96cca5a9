using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// The sequencer's signed proposal on the round's consensus topic (DESIGN §3 step 4): the block to vote on, the
/// committee proof that lets every node re-derive who may attest, and the round's deadline.
/// <code>
/// offset      size             field
///      0         1             version (1)
///      1         1             type (0x03)
///      2        48             round            chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50        32             directoryHash
///     82   126+69n             committee proof  (see CommitteeProof; n ≤ 23 declines)
///      …         2             summaryLength    u16 BE, ≤ 1024
///      …         summaryLength block summary    opaque to the codec
///      …        64             signature        BIP340 by the sequencer (committee.sequencerIndex)
/// </code>
/// Signing digest: <c>TaggedHash("jmzk/sequencer/proposal/v1", round ‖ directoryHash ‖ committeeDigest ‖
/// summaryLength ‖ summary)</c>. The committee digest covers the sequencer index, parent hash, π, deadline and every
/// decline with its signature, so the proposal vouches for exactly one committee; the summary is length-prefixed so
/// no two (summary, next field) splits hash alike.
/// The decoded <see cref="BlockSummary"/> borrows the input buffer: copy it out before the buffer is released.
/// </summary>
public struct Proposal : IEquatable<Proposal>
{
    public const int MaxEncodedLength = WireHeader.Length + RoundId.EncodedLength + Hash32.Length
        + CommitteeProof.MaxEncodedLength + 2 + WireLimits.MaxBlockSummaryLength + SchnorrSignature.Length;

    public RoundId Round;
    public Hash32 DirectoryHash;
    public CommitteeProof Committee;
    public ReadOnlySequence<byte> BlockSummary;
    public SchnorrSignature Signature;

    public readonly int EncodedLength => WireHeader.Length + RoundId.EncodedLength + Hash32.Length
        + Committee.EncodedLength + 2 + (int)BlockSummary.Length + SchnorrSignature.Length;

    public readonly WireResult Validate()
    {
        var committee = Committee.Validate();
        if (!committee.IsOk)
            return committee;
        if (BlockSummary.Length > WireLimits.MaxBlockSummaryLength)
            return WireResult.TooLarge(WireField.BlockSummaryLength);
        return WireResult.Ok;
    }

    /// <exception cref="InvalidWireMessageException">The summary exceeds its bound (the digest covers it whole).</exception>
    public readonly void ComputeSigningDigest(Span<byte> digest)
    {
        if (BlockSummary.Length > WireLimits.MaxBlockSummaryLength)
            throw new InvalidWireMessageException(WireMessageType.Proposal, WireResult.TooLarge(WireField.BlockSummaryLength));
        var committeeDigest = default(Hash32);
        Committee.ComputeDigest(Round, DirectoryHash, committeeDigest);
        Span<byte> encoding = stackalloc byte[RoundId.EncodedLength + Hash32.Length + Hash32.Length + 2
            + WireLimits.MaxBlockSummaryLength];
        var writer = new WireWriter(encoding);
        writer.WriteRound(Round);
        writer.Write(DirectoryHash.AsReadOnlySpan());
        writer.Write(committeeDigest.AsReadOnlySpan());
        WriteSummary(ref writer);
        SigningDomains.Proposal.Compute(writer.Written, digest);
    }

    /// <exception cref="InvalidWireMessageException">The proposal fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.Proposal, validation);
        var length = EncodedLength;
        var writer = new WireWriter(output.GetSpan(length));
        writer.WriteHeader(WireMessageType.Proposal);
        writer.WriteRound(Round);
        writer.Write(DirectoryHash.AsReadOnlySpan());
        Committee.Write(ref writer);
        WriteSummary(ref writer);
        writer.Write(Signature.AsReadOnlySpan());
        output.Advance(length);
    }

    private readonly void WriteSummary(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)BlockSummary.Length);
        foreach (var segment in BlockSummary)
            writer.Write(segment.Span);
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out Proposal proposal)
    {
        proposal = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.Proposal);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out proposal.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryRead(proposal.DirectoryHash))
            return WireResult.Truncated(WireField.DirectoryHash);
        var committee = CommitteeProof.Read(ref reader, ref proposal.Committee);
        if (!committee.IsOk)
            return committee;
        if (!reader.TryReadUInt16(out var summaryLength))
            return WireResult.Truncated(WireField.BlockSummaryLength);
        if (summaryLength > WireLimits.MaxBlockSummaryLength)
            return WireResult.TooLarge(WireField.BlockSummaryLength);
        if (!reader.TryReadSlice(summaryLength, out proposal.BlockSummary))
            return WireResult.Truncated(WireField.BlockSummary);
        if (!reader.TryRead(proposal.Signature))
            return WireResult.Truncated(WireField.Signature);
        var end = reader.ExpectEnd();
        return end.IsOk ? proposal.Validate() : end;
    }

    public readonly bool Equals(Proposal other) =>
        Round == other.Round && DirectoryHash == other.DirectoryHash && Committee.Equals(other.Committee)
        && ByteSequences.ContentEquals(BlockSummary, other.BlockSummary) && Signature == other.Signature;

    public override readonly bool Equals(object? obj) => obj is Proposal other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, Committee, Signature);
}
