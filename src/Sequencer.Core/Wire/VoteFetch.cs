using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// A buddy's request for the votes of specific voters (DESIGN §3 step 7), answered with a <see cref="VoteSetDelta"/>
/// holding those of them the receiver has.
/// <code>
/// offset size field
///      0    1 version (1)
///      1    1 type (0x08)
///      2   48 round           chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50    4 requesterIndex  u32 BE
///     54    2 bitmapLength    u16 BE, 1 … 8192
///     56    … bitmap          VoterBitmap of wanted voters, minimal (last byte non-zero), never empty
/// </code>
/// Unsigned for the same reason as <see cref="VoteSetSummary"/>: the answer is made of voter-signed votes, and the
/// requester index must be matched against the authenticated sender. The bitmap borrows the input buffer.
/// </summary>
public struct VoteFetch : IEquatable<VoteFetch>
{
    public const int FixedLength = WireHeader.Length + RoundId.EncodedLength + 4 + 2;

    public const int MaxEncodedLength = FixedLength + WireLimits.MaxVoterBitmapLength;

    public RoundId Round;
    public uint RequesterIndex;

    /// <summary>The voters whose votes the requester wants.</summary>
    public VoterBitmap Wanted;

    public readonly int EncodedLength => WireHeader.Length + RoundId.EncodedLength + 4 + Wanted.EncodedLength;

    public readonly WireResult Validate()
    {
        if (RequesterIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.RequesterIndex);
        var length = Wanted.MinimalLength;
        if (length > WireLimits.MaxVoterBitmapLength)
            return WireResult.TooLarge(WireField.BitmapLength);
        // Asking for nothing is never useful; refusing it keeps a peer from soliciting empty answers.
        if (length == 0)
            return WireResult.Invalid(WireField.Bitmap);
        return WireResult.Ok;
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
        var bitmap = VoterBitmap.Read(ref reader, out fetch.Wanted);
        if (!bitmap.IsOk)
            return bitmap;
        var end = reader.ExpectEnd();
        return end.IsOk ? fetch.Validate() : end;
    }

    public readonly bool Equals(VoteFetch other) =>
        Round == other.Round && RequesterIndex == other.RequesterIndex && Wanted.Equals(other.Wanted);

    public override readonly bool Equals(object? obj) => obj is VoteFetch other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, RequesterIndex, Wanted);
}
