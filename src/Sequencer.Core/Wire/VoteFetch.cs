using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// A buddy's request for specific votes — (voter, decision) pairs — (DESIGN §3 step 7), answered with a
/// <see cref="VoteSetDelta"/> holding exactly those of them the receiver has.
/// <code>
/// offset size field
///      0    1 version (1)
///      1    1 type (0x08)
///      2   48 round           chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50    4 requesterIndex  u32 BE
///     54    … wanted          VoteBitmaps: acceptLength u16 BE ≤ 8192 ‖ accepts ‖ rejectLength u16 BE ≤ 8192 ‖ rejects,
///                             each bitmap minimal (last byte non-zero); not both empty
/// </code>
/// By decision, so a requester holding one half of an equivocation can ask for the other half alone. Unsigned for
/// the same reason as <see cref="VoteSetSummary"/>: the answer is made of voter-signed votes, and the requester index
/// must be matched against the authenticated sender. The bitmaps borrow the input buffer.
/// </summary>
public struct VoteFetch : IEquatable<VoteFetch>
{
    public const int FixedLength = WireHeader.Length + RoundId.EncodedLength + 4 + 2 + 2;

    public const int MaxEncodedLength = FixedLength + 2 * WireLimits.MaxVoterBitmapLength;

    public RoundId Round;
    public uint RequesterIndex;

    /// <summary>The votes the requester wants, by decision.</summary>
    public VoteBitmaps Wanted;

    public readonly int EncodedLength => WireHeader.Length + RoundId.EncodedLength + 4 + Wanted.EncodedLength;

    public readonly WireResult Validate()
    {
        if (RequesterIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.RequesterIndex);
        var bitmaps = Wanted.Validate();
        if (!bitmaps.IsOk)
            return bitmaps;
        // Asking for nothing is never useful; refusing it keeps a peer from soliciting empty answers.
        return Wanted.IsEmpty ? WireResult.Invalid(WireField.WantedVotes) : WireResult.Ok;
    }

    /// <exception cref="InvalidWireMessageException">The request fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.VoteFetch, validation);
        var length = EncodedLength;
        var writer = new WireWriter(output.GetSpan(length));
        writer.WriteHeader(WireMessageType.VoteFetch);
        writer.WriteRound(Round);
        writer.WriteUInt32(RequesterIndex);
        Wanted.Write(ref writer);
        output.Advance(length);
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out VoteFetch fetch)
    {
        fetch = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.VoteFetch);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out fetch.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryReadUInt32(out fetch.RequesterIndex))
            return WireResult.Truncated(WireField.RequesterIndex);
        var wanted = VoteBitmaps.Read(ref reader, out fetch.Wanted);
        if (!wanted.IsOk)
            return wanted;
        var end = reader.ExpectEnd();
        return end.IsOk ? fetch.Validate() : end;
    }

    public readonly bool Equals(VoteFetch other) =>
        Round == other.Round && RequesterIndex == other.RequesterIndex && Wanted.Equals(other.Wanted);

    public override readonly bool Equals(object? obj) => obj is VoteFetch other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, RequesterIndex, Wanted);
}
