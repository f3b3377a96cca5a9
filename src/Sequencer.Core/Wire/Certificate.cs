using System.Buffers;
using System.Numerics;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// The round's outcome (DESIGN §3 step 9): attestations of one value from committee members, compressed to their
/// signatures. Not signed itself — it is exactly as trustworthy as the signatures it carries.
/// <code>
/// offset      size     field
///      0         1     version (1)
///      1         1     type (0x0A)
///      2        48     round            chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50        32     directoryHash
///     82         1     value            1 = Accept, 2 = Reject
///     83   126+69n     committee proof  (see CommitteeProof; n ≤ 23 declines)
///      …         3     signerBitmap     committee positions 0 … 22; position p is bit (p mod 8) of byte p / 8
///      …      64×k     signatures       one per set bit, in ascending position order (k = popcount, 1 … 23)
/// </code>
/// Verifying: re-derive the committee from the proof and the directory, compute the committee digest
/// (<see cref="CommitteeProof.ComputeDigest"/>), and for each set position p check <see cref="Signatures"/>[p]
/// against <c>Attestation.ComputeSigningDigest(round, directoryHash, committeeDigest, committee[p], value)</c> with
/// committee[p]'s key. The quorum rule (more than 2/3 of the committee) is the engine's; the codec guarantees the
/// bitmap names only real positions and carries exactly one signature for each.
/// </summary>
public struct Certificate : IEquatable<Certificate>
{
    public const int SignerBitmapLength = 3;

    public const int MaxEncodedLength = WireHeader.Length + RoundId.EncodedLength + Hash32.Length + 1
        + CommitteeProof.MaxEncodedLength + SignerBitmapLength
        + WireLimits.MaxCommitteeCandidates * SchnorrSignature.Length;

    private const uint ValidPositions = (1u << WireLimits.MaxCommitteeCandidates) - 1;

    public RoundId Round;
    public Hash32 DirectoryHash;
    public Decision Value;
    public CommitteeProof Committee;

    /// <summary>Bit p set: committee position p attested <see cref="Value"/> and its signature is in the certificate.</summary>
    public uint SignerBitmap;

    /// <summary>Indexed by committee position; only positions set in <see cref="SignerBitmap"/> are meaningful.</summary>
    public PositionSignatures Signatures;

    public readonly int SignerCount => BitOperations.PopCount(SignerBitmap);

    public readonly int EncodedLength => WireHeader.Length + RoundId.EncodedLength + Hash32.Length + 1
        + Committee.EncodedLength + SignerBitmapLength + SignerCount * SchnorrSignature.Length;

    public readonly bool HasSigner(int position) =>
        (uint)position < WireLimits.MaxCommitteeCandidates && (SignerBitmap & (1u << position)) != 0;

    /// <summary>Records position <paramref name="position"/>'s attestation signature.</summary>
    public void AddSigner(int position, in SchnorrSignature signature)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, WireLimits.MaxCommitteeCandidates);
        Signatures[position] = signature;
        SignerBitmap |= 1u << position;
    }

    /// <summary>The committee digest every signature in this certificate binds.</summary>
    public readonly void ComputeCommitteeDigest(Span<byte> digest) => Committee.ComputeDigest(Round, DirectoryHash, digest);

    /// <summary>
    /// The attestation digest the member at <paramref name="position"/> signed, given its directory index (which the
    /// caller reads from the committee it re-derived) and the committee digest.
    /// </summary>
    public readonly void ComputeAttestationSigningDigest(in Hash32 committeeDigest, uint attesterIndex, Span<byte> digest) =>
        Attestation.ComputeSigningDigest(Round, DirectoryHash, committeeDigest, attesterIndex, Value, digest);

    public readonly WireResult Validate()
    {
        if (!Value.IsDefined())
            return WireResult.Invalid(WireField.Decision);
        var committee = Committee.Validate();
        if (!committee.IsOk)
            return committee;
        if (SignerBitmap == 0 || (SignerBitmap & ~ValidPositions) != 0)
            return WireResult.Invalid(WireField.SignerBitmap);
        return WireResult.Ok;
    }

    /// <exception cref="InvalidWireMessageException">The certificate fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.Certificate, validation);
        var length = EncodedLength;
        var writer = new WireWriter(output.GetSpan(length));
        writer.WriteHeader(WireMessageType.Certificate);
        writer.WriteRound(Round);
        writer.Write(DirectoryHash.AsReadOnlySpan());
        writer.WriteByte((byte)Value);
        Committee.Write(ref writer);
        writer.WriteByte((byte)SignerBitmap);
        writer.WriteByte((byte)(SignerBitmap >> 8));
        writer.WriteByte((byte)(SignerBitmap >> 16));
        ReadOnlySpan<SchnorrSignature> signatures = Signatures;
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if (HasSigner(position))
                writer.Write(signatures[position].AsReadOnlySpan());
        }
        output.Advance(length);
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out Certificate certificate)
    {
        certificate = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.Certificate);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out certificate.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryRead(certificate.DirectoryHash))
            return WireResult.Truncated(WireField.DirectoryHash);
        if (!reader.TryReadByte(out var value))
            return WireResult.Truncated(WireField.Decision);
        certificate.Value = (Decision)value;
        var committee = CommitteeProof.Read(ref reader, ref certificate.Committee);
        if (!committee.IsOk)
            return committee;
        Span<byte> bitmap = stackalloc byte[SignerBitmapLength];
        if (!reader.TryRead(bitmap))
            return WireResult.Truncated(WireField.SignerBitmap);
        certificate.SignerBitmap = bitmap[0] | (uint)bitmap[1] << 8 | (uint)bitmap[2] << 16;
        // Checked before reading the signatures: the bitmap decides how many there are.
        if ((certificate.SignerBitmap & ~ValidPositions) != 0)
            return WireResult.Invalid(WireField.SignerBitmap);
        Span<SchnorrSignature> signatures = certificate.Signatures;
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if (certificate.HasSigner(position) && !reader.TryRead(signatures[position]))
                return WireResult.Truncated(WireField.Signatures);
        }
        var end = reader.ExpectEnd();
        return end.IsOk ? certificate.Validate() : end;
    }

    public readonly bool Equals(Certificate other)
    {
        if (Round != other.Round || DirectoryHash != other.DirectoryHash || Value != other.Value
            || !Committee.Equals(other.Committee) || SignerBitmap != other.SignerBitmap)
            return false;
        ReadOnlySpan<SchnorrSignature> mine = Signatures;
        ReadOnlySpan<SchnorrSignature> theirs = other.Signatures;
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if (HasSigner(position) && mine[position] != theirs[position])
                return false;
        }
        return true;
    }

    public override readonly bool Equals(object? obj) => obj is Certificate other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, Value, SignerBitmap, Committee);
}
