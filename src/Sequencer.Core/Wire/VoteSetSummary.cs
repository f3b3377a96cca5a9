using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// A buddy's periodic statement of which votes it holds (DESIGN §3 step 7), on the CRDT topic: peers compare it with
/// their own set and pull, decision by decision, what they miss with a <see cref="VoteFetch"/>.
/// <code>
/// offset size field
///      0    1 version (1)
///      1    1 type (0x07)
///      2   48 round          chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50    4 senderIndex    u32 BE
///     54    … held           VoteBitmaps: acceptLength u16 BE ≤ 8192 ‖ accepts ‖ rejectLength u16 BE ≤ 8192 ‖ rejects,
///                            each bitmap minimal (last byte non-zero), either may be empty
/// </code>
/// Per decision, not per voter: an equivocator whose Accept reached one buddy and whose Reject reached another must
/// show up as two different holdings, or the two halves never meet (see <see cref="VoteBitmaps"/>).
/// Unsigned: it claims nothing that counts — a false summary only makes peers ask for votes the sender lacks or skip
/// asking, and every vote that does move is checked against its voter's signature. The sender index is
/// self-declared, so the receiver must match it against the GossipSub-authenticated sender's directory entry (the
/// original trusted such fields as they came, §9.4.6). The bitmaps borrow the input buffer.
/// </summary>
public struct VoteSetSummary : IEquatable<VoteSetSummary>
{
    public const int FixedLength = WireHeader.Length + RoundId.EncodedLength + 4 + 2 + 2;

    public const int MaxEncodedLength = FixedLength + 2 * WireLimits.MaxVoterBitmapLength;

    public RoundId Round;
    public uint SenderIndex;

    /// <summary>The votes the sender holds verified, by decision.</summary>
    public VoteBitmaps Held;

    public readonly int EncodedLength => WireHeader.Length + RoundId.EncodedLength + 4 + Held.EncodedLength;

    public readonly WireResult Validate() =>
        SenderIndex >= WireLimits.MaxValidators ? WireResult.Invalid(WireField.SenderIndex) : Held.Validate();

    /// <exception cref="InvalidWireMessageException">The summary fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.VoteSetSummary, validation);
        var length = EncodedLength;
        var writer = new WireWriter(output.GetSpan(length));
        writer.WriteHeader(WireMessageType.VoteSetSummary);
        writer.WriteRound(Round);
        writer.WriteUInt32(SenderIndex);
        Held.Write(ref writer);
        output.Advance(length);
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out VoteSetSummary summary)
    {
        summary = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.VoteSetSummary);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out summary.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryReadUInt32(out summary.SenderIndex))
            return WireResult.Truncated(WireField.SenderIndex);
        var held = VoteBitmaps.Read(ref reader, out summary.Held);
        if (!held.IsOk)
            return held;
        var end = reader.ExpectEnd();
        return end.IsOk ? summary.Validate() : end;
    }

    public readonly bool Equals(VoteSetSummary other) =>
        Round == other.Round && SenderIndex == other.SenderIndex && Held.Equals(other.Held);

    public override readonly bool Equals(object? obj) => obj is VoteSetSummary other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, SenderIndex, Held);
}
