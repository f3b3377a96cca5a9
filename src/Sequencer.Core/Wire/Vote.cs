using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// A voter's signed decision on one block (DESIGN §3 step 5), sent to its buddy over a direct stream. Fixed size,
/// held entirely inline: decoding one allocates nothing.
/// <code>
/// offset size field
///      0    1 version (1)
///      1    1 type (0x04)
///      2    8 chainId         u64 BE ┐
///     10    8 height          u64 BE ├ round
///     18   32 blockHash              ┘
///     50   32 directoryHash
///     82    4 voterIndex      u32 BE  (&lt; 65,536)
///     86    1 decision        1 = Accept, 2 = Reject
///     87   64 signature       BIP340 over SigningDigest
///    151      end
/// </code>
/// Signing digest: <c>TaggedHash("jmzk/sequencer/vote/v1", chainId ‖ height ‖ blockHash ‖ directoryHash ‖
/// voterIndex ‖ decision)</c>, fixed-width big-endian, 85 bytes. Every field is bound, and each for a reason: the
/// chain and height stop a vote from counting on another chain or at another height, the block hash from counting
/// for another block at the same height, the directory hash from counting in another epoch (where the same index may
/// name another key, or carry another weight), the voter index because the weight counted is that index's weight,
/// and the decision because it is what the vote says. The original's votes were unsigned (§9.4.2); these are not.
/// </summary>
public struct Vote : IEquatable<Vote>
{
    public const int EncodedLength = WireHeader.Length + RoundId.EncodedLength + Hash32.Length + 4 + 1
        + SchnorrSignature.Length;

    internal const int SigningEncodingLength = RoundId.EncodedLength + Hash32.Length + 4 + 1;

    public RoundId Round;
    public Hash32 DirectoryHash;
    public uint VoterIndex;
    public Decision Decision;
    public SchnorrSignature Signature;

    /// <summary>Field ranges beyond parsing: the voter index within the protocol bound, a defined decision.</summary>
    public readonly WireResult Validate()
    {
        if (VoterIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.VoterIndex);
        if (!Decision.IsDefined())
            return WireResult.Invalid(WireField.Decision);
        return WireResult.Ok;
    }

    /// <summary>The 32-byte digest the voter signs and every verifier checks.</summary>
    public readonly void ComputeSigningDigest(Span<byte> digest) =>
        ComputeSigningDigest(Round, DirectoryHash, VoterIndex, Decision, digest);

    /// <summary>
    /// The same digest from the fields alone — for votes carried without their round fields, such as the entries of
    /// a <see cref="VoteSetDelta"/>, whose round and directory are those of the delta.
    /// </summary>
    public static void ComputeSigningDigest(
        in RoundId round, in Hash32 directoryHash, uint voterIndex, Decision decision, Span<byte> digest)
    {
        Span<byte> encoding = stackalloc byte[SigningEncodingLength];
        var writer = new WireWriter(encoding);
        writer.WriteRound(round);
        writer.Write(directoryHash.AsReadOnlySpan());
        writer.WriteUInt32(voterIndex);
        writer.WriteByte((byte)decision);
        SigningDomains.Vote.Compute(encoding, digest);
    }

    /// <summary>Writes the vote (exactly <see cref="EncodedLength"/> bytes).</summary>
    /// <exception cref="InvalidWireMessageException">The vote fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.Vote, validation);
        var writer = new WireWriter(output.GetSpan(EncodedLength));
        writer.WriteHeader(WireMessageType.Vote);
        writer.WriteRound(Round);
        writer.Write(DirectoryHash.AsReadOnlySpan());
        writer.WriteUInt32(VoterIndex);
        writer.WriteByte((byte)Decision);
        writer.Write(Signature.AsReadOnlySpan());
        output.Advance(EncodedLength);
    }

    /// <summary>Decodes exactly one vote from <paramref name="input"/> (any segmentation).</summary>
    public static WireResult TryDecode(ReadOnlySequence<byte> input, out Vote vote)
    {
        vote = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.Vote);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out vote.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryRead(vote.DirectoryHash))
            return WireResult.Truncated(WireField.DirectoryHash);
        if (!reader.TryReadUInt32(out vote.VoterIndex))
            return WireResult.Truncated(WireField.VoterIndex);
        if (!reader.TryReadByte(out var decision))
            return WireResult.Truncated(WireField.Decision);
        vote.Decision = (Decision)decision;
        if (!reader.TryRead(vote.Signature))
            return WireResult.Truncated(WireField.Signature);
        var end = reader.ExpectEnd();
        return end.IsOk ? vote.Validate() : end;
    }

    public readonly bool Equals(Vote other) =>
        Round == other.Round && DirectoryHash == other.DirectoryHash && VoterIndex == other.VoterIndex
        && Decision == other.Decision && Signature == other.Signature;

    public override readonly bool Equals(object? obj) => obj is Vote other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, VoterIndex, Decision, Signature);
}
