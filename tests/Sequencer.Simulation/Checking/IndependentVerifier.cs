using System.Numerics;
using Sequencer.Core.Committee;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;
using Sequencer.Simulation.Checking;

namespace Sequencer.Simulation.Checking;

/// <summary>
/// The checker's verification of votes, attestations and certificates, written apart from the engine's on purpose: the
/// quorum arithmetic is its own (not <c>QuorumRules</c>) and every signature is checked here again, so that a broken
/// rule inside the engine cannot also blind the checker. It relies on the committee layer only to re-derive a
/// committee from its proof (π, the draw, the declines), which is pure and tested on its own. Results are cached: a
/// run sees the same certificate many times.
/// </summary>
public sealed class IndependentVerifier(ValidatorDirectory directory, CommitteeSize size)
{
    private readonly Dictionary<Certificate, CertificateAudit> _certificates = [];
    private readonly Dictionary<ObservedVote, bool> _votes = [];
    private readonly Dictionary<Attestation, bool> _attestations = [];
    private readonly Dictionary<(RoundId, Hash32, CommitteeProof), EffectiveCommittee?> _committees = [];

    public ValidatorDirectory Directory { get; } = directory;

    public CommitteeSize Size { get; } = size;

    /// <summary>Strictly more than two thirds of the committee: <c>3·signers &gt; 2·n</c>.</summary>
    public static bool IsCertificateQuorum(int signers, int committeeSize) => 3L * signers > 2L * committeeSize;

    /// <summary>Strictly more than two thirds of the total weight: <c>3·weight &gt; 2·W</c>.</summary>
    public static bool IsAcceptWeight(ulong weight, ulong totalWeight) => (UInt128)weight * 3 > (UInt128)totalWeight * 2;

    /// <summary>The faults a committee of <paramref name="committeeSize"/> tolerates: <c>⌊(n−1)/3⌋</c>.</summary>
    public static int Tolerance(int committeeSize) => (committeeSize - 1) / 3;

    public bool IsValid(in ObservedVote vote)
    {
        if (_votes.TryGetValue(vote, out var valid))
            return valid;
        valid = vote.Round.ChainId == Directory.ChainId && vote.DirectoryHash == Directory.Hash
            && vote.Decision is Decision.Accept or Decision.Reject
            && Directory.TryGet(vote.Voter, out var voter)
            && Verify(voter, vote.ToVote());
        _votes[vote] = valid;
        return valid;

        static bool Verify(ValidatorInfo voter, Vote vote)
        {
            var digest = default(Hash32);
            vote.ComputeSigningDigest(digest);
            return voter.SchnorrKey.Verify(digest, vote.Signature);
        }
    }

    public bool IsValid(in Attestation attestation)
    {
        if (_attestations.TryGetValue(attestation, out var valid))
            return valid;
        var digest = default(Hash32);
        attestation.ComputeSigningDigest(digest);
        valid = attestation.Round.ChainId == Directory.ChainId && attestation.DirectoryHash == Directory.Hash
            && attestation.Value is Decision.Accept or Decision.Reject
            && Directory.TryGet(attestation.AttesterIndex, out var attester)
            && attester.SchnorrKey.Verify(digest, attestation.Signature);
        _attestations[attestation] = valid;
        return valid;
    }

    /// <summary>The committee a proof yields for a round, or null when the proof does not verify.</summary>
    public EffectiveCommittee? CommitteeOf(in RoundId round, in Hash32 directoryHash, in CommitteeProof proof)
    {
        var key = (round, directoryHash, proof);
        if (!_committees.TryGetValue(key, out var committee))
        {
            if (!EffectiveCommittee.TryVerify(Directory, Size, round, directoryHash, proof, out committee, out _))
                committee = null;
            _committees[key] = committee;
        }
        return committee;
    }

    public CertificateAudit Audit(in Certificate certificate)
    {
        if (!_certificates.TryGetValue(certificate, out var audit))
        {
            audit = AuditUncached(certificate);
            _certificates[certificate] = audit;
        }
        return audit;
    }

    private CertificateAudit AuditUncached(in Certificate certificate)
    {
        if (!certificate.Validate().IsOk)
            return CertificateAudit.Invalid($"malformed: {certificate.Validate()}");
        if (certificate.Round.ChainId != Directory.ChainId || certificate.DirectoryHash != Directory.Hash)
            return CertificateAudit.Invalid("another chain or directory");
        var committee = CommitteeOf(certificate.Round, certificate.DirectoryHash, certificate.Committee);
        if (committee is null)
            return CertificateAudit.Invalid("its committee proof does not verify");
        var signers = BitOperations.PopCount(certificate.SignerBitmap);
        if ((certificate.SignerBitmap & ~committee.MemberPositions) != 0)
            return CertificateAudit.Invalid($"signer bitmap {certificate.SignerBitmap:x6} names positions outside the committee {committee.MemberPositions:x6}", committee, signers);
        if (!IsCertificateQuorum(signers, committee.Count))
            return CertificateAudit.Invalid($"{signers} signers of a committee of {committee.Count}: not more than 2/3", committee, signers);
        ReadOnlySpan<SchnorrSignature> signatures = certificate.Signatures;
        var committeeDigest = committee.Digest;
        var digest = default(Hash32);
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if (!certificate.HasSigner(position))
                continue;
            committee.TryGetMemberAt(position, out var member);
            certificate.ComputeAttestationSigningDigest(committeeDigest, (uint)member!.Index, digest);
            if (!member.SchnorrKey.Verify(digest, signatures[position]))
                return CertificateAudit.Invalid($"the signature at position {position} (validator {member.Index}) does not verify", committee, signers);
        }
        return new CertificateAudit(true, null, committee, signers);
    }
}
