using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// A buddy's acknowledgement of a vote, on the direct stream the vote came over. Unsigned on purpose: the stream is
/// authenticated end to end (Noise), it tells only the voter what became of its own vote, and nothing else relies
/// on it — a voter that distrusts it just sends to the next buddy.
/// <code>
/// offset size field
///      0    1 version (1)
///      1    1 type (0x05)
///      2   48 round       chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50    4 voterIndex  u32 BE
///     54    1 status      VoteAckStatus (1 … 9)
///     55      end
/// </code>
/// </summary>
public struct VoteAck : IEquatable<VoteAck>
{
    public const int EncodedLength = WireHeader.Length + RoundId.EncodedLength + 4 + 1;

    public RoundId Round;
    public uint VoterIndex;
    public VoteAckStatus Status;

    public readonly WireResult Validate()
    {
        if (VoterIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.VoterIndex);
        if (!Status.IsDefined())
            return WireResult.Invalid(WireField.Status);
        return WireResult.Ok;
    }

    /// <exception cref="InvalidWireMessageException">The acknowledgement fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.VoteAck, validation);
        var writer = new WireWriter(output.GetSpan(EncodedLength));
        writer.WriteHeader(WireMessageType.VoteAck);
        writer.WriteRound(Round);
        writer.WriteUInt32(VoterIndex);
        writer.WriteByte((byte)Status);
        output.Advance(EncodedLength);
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out VoteAck ack)
    {
        ack = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.VoteAck);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out ack.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryReadUInt32(out ack.VoterIndex))
            return WireResult.Truncated(WireField.VoterIndex);
        if (!reader.TryReadByte(out var status))
            return WireResult.Truncated(WireField.Status);
        ack.Status = (VoteAckStatus)status;
        var end = reader.ExpectEnd();
        return end.IsOk ? ack.Validate() : end;
    }

    public readonly bool Equals(VoteAck other) =>
        Round == other.Round && VoterIndex == other.VoterIndex && Status == other.Status;

    public override readonly bool Equals(object? obj) => obj is VoteAck other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, VoterIndex, Status);
}
