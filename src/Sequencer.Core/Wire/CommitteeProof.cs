using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// Everything a node holding the directory needs to re-derive a round's committee (DESIGN §3 steps 1–2): who the
/// sequencer is (its key verifies π), the parent hash (with chain id and height it forms the VRF input α), π itself,
/// the round's deadline, and the signed declines that justify each replacement of a member by the next backup.
/// Embedded in <see cref="Proposal"/> and <see cref="Certificate"/>.
/// <code>
/// sequencerIndex u32 BE      4
/// parentHash                32
/// π (VRF proof)             81   Γ must carry a compressed-point tag (0x02/0x03)
/// deadline       u64 BE      8   unix ms; the same value the invitations carried
/// declineCount   u8          1   ≤ 23
/// declines                  69 × declineCount, strictly ascending by buddyIndex (canonical, no duplicates)
/// </code>
/// Why the deadline is here: each decline signs the digest of the invitation it answers, and a verifier rebuilds
/// that invitation from these fields, so the sequencer can use a decline only together with the very π and deadline
/// it showed that buddy. A faulty sequencer cannot collect declines with a bogus invitation and then present them
/// under a valid proof. Its digest (<see cref="ComputeDigest"/>) is what attestations bind, so attestations made
/// under two different committee proofs (a sequencer showing different committees to different buddies) never
/// combine into one certificate.
/// </summary>
public struct CommitteeProof : IEquatable<CommitteeProof>
{
    public const int FixedLength = 4 + Hash32.Length + VrfProofBytes.Length + 8 + 1;
    public const int MaxEncodedLength = FixedLength + WireLimits.MaxDeclines * SignedDecline.EncodedLength;

    public uint SequencerIndex;
    public Hash32 ParentHash;
    public VrfProofBytes Proof;

    /// <summary>The round's deadline, unix milliseconds.</summary>
    public ulong Deadline;

    private int _declineCount;
    private SignedDeclineList _declines;

    public readonly int DeclineCount => _declineCount;

    public readonly int EncodedLength => FixedLength + _declineCount * SignedDecline.EncodedLength;

    /// <summary>The declines in ascending buddy-index order.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<SignedDecline> Declines => ((ReadOnlySpan<SignedDecline>)_declines)[.._declineCount];

    /// <summary>Adds a decline at its place in buddy-index order.</summary>
    /// <exception cref="InvalidOperationException">The proof already holds <see cref="WireLimits.MaxDeclines"/>.</exception>
    /// <exception cref="ArgumentException">A decline from this buddy is already present.</exception>
    public void AddDecline(in SignedDecline decline)
    {
        if (_declineCount == WireLimits.MaxDeclines)
            throw new InvalidOperationException($"a committee proof holds at most {WireLimits.MaxDeclines} declines");
        Span<SignedDecline> declines = _declines;
        var at = _declineCount;
        while (at > 0 && declines[at - 1].BuddyIndex >= decline.BuddyIndex)
        {
            if (declines[at - 1].BuddyIndex == decline.BuddyIndex)
                throw new ArgumentException($"buddy {decline.BuddyIndex} already has a decline in this proof", nameof(decline));
            at--;
        }
        declines[at.._declineCount].CopyTo(declines[(at + 1)..]);
        declines[at] = decline;
        _declineCount++;
    }

    public readonly WireResult Validate()
    {
        if (SequencerIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.SequencerIndex);
        if (!Proof.HasCompressedPointPrefix)
            return WireResult.Invalid(WireField.VrfProof);
        if (Deadline == 0)
            return WireResult.Invalid(WireField.Deadline);
        var declines = Declines;
        for (var i = 0; i < declines.Length; i++)
        {
            ref readonly var decline = ref declines[i];
            // The sequencer is never a candidate of its own committee, so it can never have declined.
            if (decline.BuddyIndex >= WireLimits.MaxValidators || decline.BuddyIndex == SequencerIndex
                || (i > 0 && decline.BuddyIndex <= declines[i - 1].BuddyIndex))
                return WireResult.Invalid(WireField.Declines);
            if (!decline.Reason.IsDeclineReason())
                return WireResult.Invalid(WireField.DeclineReason);
        }
        return WireResult.Ok;
    }

    /// <summary>
    /// The committee digest: <c>TaggedHash("jmzk/sequencer/committee/v1", round ‖ directoryHash ‖ sequencerIndex ‖
    /// parentHash ‖ π ‖ deadline ‖ declineCount ‖ declines)</c>, every field as on the wire.
    /// </summary>
    public readonly void ComputeDigest(in RoundId round, in Hash32 directoryHash, Span<byte> digest)
    {
        Span<byte> encoding = stackalloc byte[RoundId.EncodedLength + Hash32.Length + MaxEncodedLength];
        var writer = new WireWriter(encoding);
        writer.WriteRound(round);
        writer.Write(directoryHash.AsReadOnlySpan());
        Write(ref writer);
        SigningDomains.Committee.Compute(writer.Written, digest);
    }

    /// <summary>
    /// The digest the declining buddy signed for decline <paramref name="index"/>: its <see cref="InvitationReply"/>
    /// digest over the invitation this proof implies for that buddy.
    /// </summary>
    public readonly void ComputeDeclineSigningDigest(in RoundId round, in Hash32 directoryHash, int index, Span<byte> digest)
    {
        ref readonly var decline = ref Declines[index];
        var invitationDigest = default(Hash32);
        Invitation.ComputeSigningDigest(
            round, directoryHash, ParentHash, SequencerIndex, decline.BuddyIndex, Proof, Deadline, invitationDigest);
        InvitationReply.ComputeSigningDigest(
            round, directoryHash, invitationDigest, decline.BuddyIndex, InvitationAnswer.Decline, decline.Reason, digest);
    }

    internal readonly void Write(ref WireWriter writer)
    {
        writer.WriteUInt32(SequencerIndex);
        writer.Write(ParentHash.AsReadOnlySpan());
        writer.Write(Proof.AsReadOnlySpan());
        writer.WriteUInt64(Deadline);
        writer.WriteByte((byte)_declineCount);
        foreach (ref readonly var decline in Declines)
        {
            writer.WriteUInt32(decline.BuddyIndex);
            writer.WriteByte((byte)decline.Reason);
            writer.Write(decline.Signature.AsReadOnlySpan());
        }
    }

    /// <summary>Reads the proof's fields; range checks are left to <see cref="Validate"/>.</summary>
    internal static WireResult Read(ref WireReader reader, ref CommitteeProof proof)
    {
        if (!reader.TryReadUInt32(out proof.SequencerIndex))
            return WireResult.Truncated(WireField.SequencerIndex);
        if (!reader.TryRead(proof.ParentHash))
            return WireResult.Truncated(WireField.ParentHash);
        if (!reader.TryRead(proof.Proof))
            return WireResult.Truncated(WireField.VrfProof);
        if (!reader.TryReadUInt64(out proof.Deadline))
            return WireResult.Truncated(WireField.Deadline);
        if (!reader.TryReadByte(out var count))
            return WireResult.Truncated(WireField.DeclineCount);
        if (count > WireLimits.MaxDeclines)
            return WireResult.TooLarge(WireField.DeclineCount);
        Span<SignedDecline> declines = proof._declines;
        for (var i = 0; i < count; i++)
        {
            ref var decline = ref declines[i];
            if (!reader.TryReadUInt32(out decline.BuddyIndex) || !reader.TryReadByte(out var reason)
                || !reader.TryRead(decline.Signature))
                return WireResult.Truncated(WireField.Declines);
            decline.Reason = (DeclineReason)reason;
        }
        proof._declineCount = count;
        return WireResult.Ok;
    }

    public readonly bool Equals(CommitteeProof other) =>
        SequencerIndex == other.SequencerIndex && ParentHash == other.ParentHash && Proof == other.Proof
        && Deadline == other.Deadline && Declines.SequenceEqual(other.Declines);

    public override readonly bool Equals(object? obj) => obj is CommitteeProof other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(SequencerIndex, ParentHash, Deadline, _declineCount);
}
