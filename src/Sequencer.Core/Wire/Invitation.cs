using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// The sequencer's signed invitation to one main buddy (DESIGN §3 step 2), over a direct stream.
/// <code>
/// offset size field
///      0    1 version (1)
///      1    1 type (0x01)
///      2   48 round           chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50   32 directoryHash
///     82   32 parentHash      with chainId and height: the VRF input α
///    114    4 sequencerIndex  u32 BE
///    118    4 buddyIndex      u32 BE  the invitee
///    122   81 π               VRF proof
///    203    8 deadline        u64 BE, unix ms: the round's one deadline
///    211   64 signature       BIP340 by the sequencer's validator key
///    275      end
/// </code>
/// Signing digest: <c>TaggedHash("jmzk/sequencer/invitation/v1", round ‖ directoryHash ‖ parentHash ‖
/// sequencerIndex ‖ buddyIndex ‖ π ‖ deadline)</c>. The round and directory say what the buddy is asked to serve;
/// the parent hash and π let it check its own membership; the sequencer index names the key that must verify both
/// π and this signature (a self-declared sender is worthless unless its key signs); the buddy index makes the
/// invitation personal, so it cannot be replayed to another validator; the deadline is part of what the buddy
/// accepts. This digest is in turn bound by the buddy's <see cref="InvitationReply"/>.
/// </summary>
public struct Invitation : IEquatable<Invitation>
{
    public const int EncodedLength = WireHeader.Length + RoundId.EncodedLength + Hash32.Length + Hash32.Length
        + 4 + 4 + VrfProofBytes.Length + 8 + SchnorrSignature.Length;

    internal const int SigningEncodingLength = RoundId.EncodedLength + Hash32.Length + Hash32.Length + 4 + 4
        + VrfProofBytes.Length + 8;

    public RoundId Round;
    public Hash32 DirectoryHash;
    public Hash32 ParentHash;
    public uint SequencerIndex;
    public uint BuddyIndex;
    public VrfProofBytes Proof;

    /// <summary>The round's deadline, unix milliseconds.</summary>
    public ulong Deadline;

    public SchnorrSignature Signature;

    public readonly WireResult Validate()
    {
        if (SequencerIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.SequencerIndex);
        // The sequencer never sits on its own committee.
        if (BuddyIndex >= WireLimits.MaxValidators || BuddyIndex == SequencerIndex)
            return WireResult.Invalid(WireField.BuddyIndex);
        if (!Proof.HasCompressedPointPrefix)
            return WireResult.Invalid(WireField.VrfProof);
        if (Deadline == 0)
            return WireResult.Invalid(WireField.Deadline);
        return WireResult.Ok;
    }

    public readonly void ComputeSigningDigest(Span<byte> digest) =>
        ComputeSigningDigest(Round, DirectoryHash, ParentHash, SequencerIndex, BuddyIndex, Proof, Deadline, digest);

    /// <summary>The digest from the fields alone, as a <see cref="CommitteeProof"/> re-derives it for each decline.</summary>
    public static void ComputeSigningDigest(
        in RoundId round, in Hash32 directoryHash, in Hash32 parentHash, uint sequencerIndex, uint buddyIndex,
        in VrfProofBytes proof, ulong deadline, Span<byte> digest)
    {
        Span<byte> encoding = stackalloc byte[SigningEncodingLength];
        var writer = new WireWriter(encoding);
        writer.WriteRound(round);
        writer.Write(directoryHash.AsReadOnlySpan());
        writer.Write(parentHash.AsReadOnlySpan());
        writer.WriteUInt32(sequencerIndex);
        writer.WriteUInt32(buddyIndex);
        writer.Write(proof.AsReadOnlySpan());
        writer.WriteUInt64(deadline);
        SigningDomains.Invitation.Compute(encoding, digest);
    }

    /// <exception cref="InvalidWireMessageException">The invitation fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.Invitation, validation);
        var writer = new WireWriter(output.GetSpan(EncodedLength));
        writer.WriteHeader(WireMessageType.Invitation);
        writer.WriteRound(Round);
        writer.Write(DirectoryHash.AsReadOnlySpan());
        writer.Write(ParentHash.AsReadOnlySpan());
        writer.WriteUInt32(SequencerIndex);
        writer.WriteUInt32(BuddyIndex);
        writer.Write(Proof.AsReadOnlySpan());
        writer.WriteUInt64(Deadline);
        writer.Write(Signature.AsReadOnlySpan());
        output.Advance(EncodedLength);
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out Invitation invitation)
    {
        invitation = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.Invitation);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out invitation.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryRead(invitation.DirectoryHash))
            return WireResult.Truncated(WireField.DirectoryHash);
        if (!reader.TryRead(invitation.ParentHash))
            return WireResult.Truncated(WireField.ParentHash);
        if (!reader.TryReadUInt32(out invitation.SequencerIndex))
            return WireResult.Truncated(WireField.SequencerIndex);
        if (!reader.TryReadUInt32(out invitation.BuddyIndex))
            return WireResult.Truncated(WireField.BuddyIndex);
        if (!reader.TryRead(invitation.Proof))
            return WireResult.Truncated(WireField.VrfProof);
        if (!reader.TryReadUInt64(out invitation.Deadline))
            return WireResult.Truncated(WireField.Deadline);
        if (!reader.TryRead(invitation.Signature))
            return WireResult.Truncated(WireField.Signature);
        var end = reader.ExpectEnd();
        return end.IsOk ? invitation.Validate() : end;
    }

    public readonly bool Equals(Invitation other) =>
        Round == other.Round && DirectoryHash == other.DirectoryHash && ParentHash == other.ParentHash
        && SequencerIndex == other.SequencerIndex && BuddyIndex == other.BuddyIndex && Proof == other.Proof
        && Deadline == other.Deadline && Signature == other.Signature;

    public override readonly bool Equals(object? obj) => obj is Invitation other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, SequencerIndex, BuddyIndex, Signature);
}
