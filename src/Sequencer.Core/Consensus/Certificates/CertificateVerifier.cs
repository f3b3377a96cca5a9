using System.Numerics;
using Sequencer.Core.Committee;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Certificates;

/// <summary>
/// Any node's check of a certificate it did not build (DESIGN §3 step 9): the committee re-derived from its proof (π
/// under the sequencer's key, every decline's signature, the replacement rule), its signers all serving members and
/// more than 2/3 of them, and every signature valid over the attestation digest that member would have signed. Only a
/// certificate that passes is appended to the decision log or decides a round.
/// </summary>
internal static class CertificateVerifier
{
    /// <param name="knownCommittee">The round's committee when this node already verified it (skips re-deriving it when the digests agree).</param>
    /// <param name="cache">Shared committee derivations, or null (see <see cref="CommitteeCache"/>).</param>
    public static DropReason? Verify(
        ValidatorDirectory directory, CommitteeSize size, in Certificate certificate, EffectiveCommittee? knownCommittee,
        CommitteeCache? cache = null)
    {
        if (!certificate.Validate().IsOk)
            return DropReason.Malformed;
        if (certificate.Round.ChainId != directory.ChainId)
            return DropReason.WrongChain;
        if (certificate.DirectoryHash != directory.Hash)
            return DropReason.WrongDirectory;

        var committeeDigest = default(Hash32);
        certificate.ComputeCommitteeDigest(committeeDigest);
        var committee = knownCommittee is not null && knownCommittee.Round == certificate.Round
            && knownCommittee.Digest == committeeDigest
                ? knownCommittee
                : null;
        if (committee is null && !EffectiveCommittee.TryVerify(
                directory, size, certificate.Round, certificate.DirectoryHash, certificate.Committee, out committee, out _, cache))
            return DropReason.BadCommitteeProof;

        if ((certificate.SignerBitmap & ~committee.MemberPositions) != 0
            || !QuorumRules.IsCertificateQuorum(BitOperations.PopCount(certificate.SignerBitmap), committee.Count))
            return DropReason.InvalidCertificate;
        ReadOnlySpan<SchnorrSignature> signatures = certificate.Signatures;
        var digest = default(Hash32);
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if (!certificate.HasSigner(position))
                continue;
            committee.TryGetMemberAt(position, out var member);
            certificate.ComputeAttestationSigningDigest(committeeDigest, (uint)member!.Index, digest);
            if (!member.SchnorrKey.Verify(digest, signatures[position]))
                return DropReason.BadSignature;
        }
        return null;
    }
}
