using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// A buddy's signed attestation on the round's consensus topic (DESIGN §3 step 8): the BFT step's one vote per buddy
/// per height.
/// <code>
/// offset size field
///      0    1 version (1)
///      1    1 type (0x09)
///      2   48 round            chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50   32 directoryHash
///     82   32 committeeDigest  CommitteeProof.ComputeDigest of the proof the buddy serves under
///    114    4 attesterIndex    u32 BE, the buddy's directory index
///    118    1 value            1 = Accept, 2 = Reject
///    119   64 signature        BIP340 by the attester's validator key
///    183      end
/// </code>
/// Signing digest: <c>TaggedHash("jmzk/sequencer/attestation/v1", round ‖ directoryHash ‖ committeeDigest ‖
/// attesterIndex ‖ value)</c>. A certificate carries only the signatures and re-derives each digest from its own
/// round, directory, committee proof and value plus the attester its signer bitmap names — which is why nothing else
/// may be signed here. Binding the committee digest means attestations given under different committee proofs never
/// form one quorum. There are deliberately no unsigned diagnostic fields (weights seen): anything unsigned in a
/// signed message can be altered in flight without detection; the weights are in the vote set every buddy syncs.
/// </summary>
public struct Attestation : IEquatable<Attestation>
{
    public const int EncodedLength = WireHeader.Length + RoundId.EncodedLength + Hash32.Length + Hash32.Length
        + 4 + 1 + SchnorrSignature.Length;

    internal const int SigningEncodingLength = RoundId.EncodedLength + Hash32.Length + Hash32.Length + 4 + 1;

    public RoundId Round;
    public Hash32 DirectoryHash;
    public Hash32 CommitteeDigest;
    public uint AttesterIndex;
    public Decision Value;
    public SchnorrSignature Signature;

    public readonly WireResult Validate()
    {
        if (AttesterIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.AttesterIndex);
        if (!Value.IsDefined())
            return WireResult.Invalid(WireField.Decision);
        return WireResult.Ok;
    }

    public readonly void ComputeSigningDigest(Span<byte> digest) =>
        ComputeSigningDigest(Round, DirectoryHash, CommitteeDigest, AttesterIndex, Value, digest);

    /// <summary>The digest from the fields alone, as a <see cref="Certificate"/> re-derives it for each signer.</summary>
    public static void ComputeSigningDigest(
        in RoundId round, in Hash32 directoryHash, in Hash32 committeeDigest, uint attesterIndex, Decision value,
        Span<byte> digest)
    {
        Span<byte> encoding = stackalloc byte[SigningEncodingLength];
        var writer = new WireWriter(encoding);
        writer.WriteRound(round);
        writer.Write(directoryHash.AsReadOnlySpan());
        writer.Write(committeeDigest.AsReadOnlySpan());
        writer.WriteUInt32(attesterIndex);
        writer.WriteByte((byte)value);
        SigningDomains.Attestation.Compute(encoding, digest);
    }

    /// <exception cref="InvalidWireMessageException">The attestation fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.Attestation, validation);
        var writer = new WireWriter(output.GetSpan(EncodedLength));
        writer.WriteHeader(WireMessageType.Attestation);
        writer.WriteRound(Round);
        writer.Write(DirectoryHash.AsReadOnlySpan());
        writer.Write(CommitteeDigest.AsReadOnlySpan());
        writer.WriteUInt32(AttesterIndex);
        writer.WriteByte((byte)Value);
        writer.Write(Signature.AsReadOnlySpan());
        output.Advance(EncodedLength);
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out Attestation attestation)
    {
        attestation = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.Attestation);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out attestation.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryRead(attestation.DirectoryHash))
            return WireResult.Truncated(WireField.DirectoryHash);
        if (!reader.TryRead(attestation.CommitteeDigest))
            return WireResult.Truncated(WireField.CommitteeDigest);
        if (!reader.TryReadUInt32(out attestation.AttesterIndex))
            return WireResult.Truncated(WireField.AttesterIndex);
        if (!reader.TryReadByte(out var value))
            return WireResult.Truncated(WireField.Decision);
        attestation.Value = (Decision)value;
        if (!reader.TryRead(attestation.Signature))
            return WireResult.Truncated(WireField.Signature);
        var end = reader.ExpectEnd();
        return end.IsOk ? attestation.Validate() : end;
    }

    public readonly bool Equals(Attestation other) =>
        Round == other.Round && DirectoryHash == other.DirectoryHash && CommitteeDigest == other.CommitteeDigest
        && AttesterIndex == other.AttesterIndex && Value == other.Value && Signature == other.Signature;

    public override readonly bool Equals(object? obj) => obj is Attestation other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, AttesterIndex, Value, Signature);
}
