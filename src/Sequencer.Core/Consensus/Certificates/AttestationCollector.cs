using System.Buffers;
using System.Collections.Immutable;
using System.Numerics;
using Sequencer.Core.Committee;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Certificates;

/// <summary>
/// Gathers one round's verified attestations by value and builds the certificate once a value has them from more than
/// 2/3 of the committee (DESIGN §3 step 9, <see cref="QuorumRules.IsCertificateQuorum"/>). Any node on the round's
/// consensus topic runs one — the sequencer and every buddy — so the round decides even if its sequencer falls silent.
/// </summary>
/// <remarks>
/// A member that attests both values (a faulty buddy) is counted in both tallies: that is the BFT bound at work, not a
/// hole. Two certificates of different values need two quorums of more than 2n/3 members, which overlap in more than
/// n/3 members; with at most f = ⌊(n−1)/3⌋ faulty, at least one of them is honest and would have attested twice, which
/// rule S2 forbids it. Loop-only.
/// </remarks>
internal sealed class AttestationCollector
{
    private readonly EffectiveCommittee _committee;
    private readonly Hash32 _directoryHash;
    private uint _acceptSigners;
    private uint _rejectSigners;
    private PositionSignatures _acceptSignatures;
    private PositionSignatures _rejectSignatures;

    public AttestationCollector(EffectiveCommittee committee)
    {
        _committee = committee;
        _directoryHash = committee.Directory.Hash;
    }

    public int AcceptCount => BitOperations.PopCount(_acceptSigners);

    public int RejectCount => BitOperations.PopCount(_rejectSigners);

    /// <summary>A certificate this collector built (null until one exists), encoded.</summary>
    public byte[]? Certificate { get; private set; }

    public Decision CertificateValue { get; private set; }

    /// <summary>Members (directory index) and the value each attested, as far as verified here; both when a member attested both.</summary>
    public ImmutableArray<(int ValidatorIndex, Decision Value)> Attested()
    {
        var attested = ImmutableArray.CreateBuilder<(int, Decision)>();
        foreach (var member in _committee.Members)
        {
            if ((_acceptSigners & (1u << member.Position)) != 0)
                attested.Add((member.ValidatorIndex, Decision.Accept));
            if ((_rejectSigners & (1u << member.Position)) != 0)
                attested.Add((member.ValidatorIndex, Decision.Reject));
        }
        return attested.ToImmutable();
    }

    /// <param name="fromValidator">The authenticated sender, or −1 for the node's own attestation or one relayed in a pull answer.</param>
    public AttestationCheck Add(in Attestation attestation, int fromValidator)
    {
        if (attestation.Round != _committee.Round || attestation.DirectoryHash != _directoryHash)
            return AttestationCheck.WrongRound;
        if (attestation.CommitteeDigest != _committee.Digest)
            return AttestationCheck.WrongCommittee;
        var attester = (int)Math.Min(attestation.AttesterIndex, int.MaxValue);
        if ((fromValidator >= 0 && fromValidator != attester) || !_committee.TryGetPosition(attester, out var position))
            return AttestationCheck.NotInCommittee;
        ref var signers = ref attestation.Value == Decision.Accept ? ref _acceptSigners : ref _rejectSigners;
        var bit = 1u << position;
        if ((signers & bit) != 0)
            return AttestationCheck.Duplicate;
        var digest = default(Hash32);
        attestation.ComputeSigningDigest(digest);
        if (!_committee.Directory[attester].SchnorrKey.Verify(digest, attestation.Signature))
            return AttestationCheck.BadSignature;

        signers |= bit;
        ref var stored = ref attestation.Value == Decision.Accept ? ref _acceptSignatures : ref _rejectSignatures;
        Span<SchnorrSignature> signatures = stored;
        signatures[position] = attestation.Signature;
        if (Certificate is not null || !QuorumRules.IsCertificateQuorum(BitOperations.PopCount(signers), _committee.Count))
            return AttestationCheck.Added;
        Certificate = Build(attestation.Value, signers, signatures);
        CertificateValue = attestation.Value;
        return AttestationCheck.CertificateBuilt;
    }

    private byte[] Build(Decision value, uint signers, ReadOnlySpan<SchnorrSignature> signatures)
    {
        var certificate = new Certificate
        {
            Round = _committee.Round,
            DirectoryHash = _directoryHash,
            Value = value,
            Committee = _committee.ToProof(),
        };
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if ((signers & (1u << position)) != 0)
                certificate.AddSigner(position, signatures[position]);
        }
        var output = new ArrayBufferWriter<byte>(certificate.EncodedLength);
        certificate.Encode(output);
        return output.WrittenSpan.ToArray();
    }
}
