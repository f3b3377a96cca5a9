using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

/// <summary>
/// Messages signed with real BIP340 keys by a small test directory (validator i holds key i; the sequencer is
/// validator 0 and committee position p is validator p + 1), and the verification a receiving node would run.
/// </summary>
public static class SignedMessages
{
    public const int ValidatorCount = 30;

    private static readonly Secp256k1PrivateKey[] Keys = Enumerable.Range(0, ValidatorCount)
        .Select(i => Secp256k1PrivateKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes($"wire-test-validator-{i}"))))
        .ToArray();

    public const uint SequencerIndex = 0;

    public static uint CommitteeMember(int position) => (uint)position + 1;

    private static readonly Gen<uint> Member = Gen.Choose(1, ValidatorCount - 1).Select(i => (uint)i);

    private static SchnorrSignature Sign(uint signer, ReadOnlySpan<byte> digest)
    {
        var signature = default(SchnorrSignature);
        Keys[signer].SignSchnorr(digest, signature);
        return signature;
    }

    private static bool Verifies(uint signer, ReadOnlySpan<byte> digest, in SchnorrSignature signature) =>
        signer < ValidatorCount && Keys[signer].PublicKey.VerifySchnorr(digest, signature.AsReadOnlySpan());

    public static readonly Gen<Vote> Vote = WireGenerators.Vote.SelectMany(vote => Member.Select(voter =>
    {
        vote.VoterIndex = voter;
        Span<byte> digest = stackalloc byte[32];
        vote.ComputeSigningDigest(digest);
        vote.Signature = Sign(voter, digest);
        return vote;
    }));

    public static readonly Gen<Invitation> Invitation = WireGenerators.Invitation.SelectMany(invitation => Member.Select(buddy =>
    {
        invitation.SequencerIndex = SequencerIndex;
        invitation.BuddyIndex = buddy;
        Span<byte> digest = stackalloc byte[32];
        invitation.ComputeSigningDigest(digest);
        invitation.Signature = Sign(SequencerIndex, digest);
        return invitation;
    }));

    public static readonly Gen<InvitationReply> InvitationReply = WireGenerators.InvitationReply.SelectMany(reply => Member.Select(buddy =>
    {
        reply.BuddyIndex = buddy;
        Span<byte> digest = stackalloc byte[32];
        reply.ComputeSigningDigest(digest);
        reply.Signature = Sign(buddy, digest);
        return reply;
    }));

    /// <summary>A committee proof by validator 0 whose declines are signed by the declining members.</summary>
    private static Gen<CommitteeProof> Committee(RoundId round, Hash32 directory) =>
        from parent in WireGenerators.Hash
        from proof in WireGenerators.Proof
        from deadline in WireGenerators.Deadline
        from decliners in Gen.SubListOf(Enumerable.Range(1, ValidatorCount - 1).ToArray()).Select(d => d.Take(4).ToArray())
        from reasons in Gen.ArrayOf(WireGenerators.DeclineReason, decliners.Length)
        select SignedCommittee(round, directory, parent, proof, deadline, decliners, reasons);

    private static CommitteeProof SignedCommittee(
        RoundId round, Hash32 directory, Hash32 parent, VrfProofBytes proof, ulong deadline, int[] decliners,
        DeclineReason[] reasons)
    {
        var committee = new CommitteeProof { SequencerIndex = SequencerIndex, ParentHash = parent, Proof = proof, Deadline = deadline };
        Span<byte> invitationDigest = stackalloc byte[32];
        Span<byte> replyDigest = stackalloc byte[32];
        for (var i = 0; i < decliners.Length; i++)
        {
            var buddy = (uint)decliners[i];
            global::Sequencer.Core.Wire.Invitation.ComputeSigningDigest(
                round, directory, parent, SequencerIndex, buddy, proof, deadline, invitationDigest);
            global::Sequencer.Core.Wire.InvitationReply.ComputeSigningDigest(
                round, directory, Hash32.FromSpan(invitationDigest), buddy, InvitationAnswer.Decline, reasons[i], replyDigest);
            committee.AddDecline(new SignedDecline { BuddyIndex = buddy, Reason = reasons[i], Signature = Sign(buddy, replyDigest) });
        }
        return committee;
    }

    public static readonly Gen<Proposal> Proposal =
        from round in WireGenerators.Round
        from directory in WireGenerators.Hash
        from committee in Committee(round, directory)
        from summary in Gen.Choose(0, 64).SelectMany(WireGenerators.Bytes)
        select SignProposal(new Proposal
        {
            Round = round, DirectoryHash = directory, Committee = committee, BlockSummary = new ReadOnlySequence<byte>(summary),
        });

    private static Proposal SignProposal(Proposal proposal)
    {
        Span<byte> digest = stackalloc byte[32];
        proposal.ComputeSigningDigest(digest);
        proposal.Signature = Sign(proposal.Committee.SequencerIndex, digest);
        return proposal;
    }

    public static readonly Gen<Attestation> Attestation =
        from round in WireGenerators.Round
        from directory in WireGenerators.Hash
        from committee in Committee(round, directory)
        from position in Gen.Choose(0, ValidatorCount - 2)
        from value in WireGenerators.Decision
        select SignAttestation(round, directory, committee, position, value);

    private static Attestation SignAttestation(RoundId round, Hash32 directory, CommitteeProof committee, int position, Decision value)
    {
        var attestation = new Attestation { Round = round, DirectoryHash = directory, AttesterIndex = CommitteeMember(position), Value = value };
        committee.ComputeDigest(round, directory, attestation.CommitteeDigest);
        Span<byte> digest = stackalloc byte[32];
        attestation.ComputeSigningDigest(digest);
        attestation.Signature = Sign(attestation.AttesterIndex, digest);
        return attestation;
    }

    public static readonly Gen<Certificate> Certificate =
        from round in WireGenerators.Round
        from directory in WireGenerators.Hash
        from value in WireGenerators.Decision
        from committee in Committee(round, directory)
        from signers in Gen.Choose(1, (1 << WireLimits.MaxCommitteeCandidates) - 1)
        select SignCertificate(new Certificate { Round = round, DirectoryHash = directory, Value = value, Committee = committee }, (uint)signers & 0x3F_00FF);

    private static Certificate SignCertificate(Certificate certificate, uint signers)
    {
        if (signers == 0)
            signers = 1;
        var committeeDigest = default(Hash32);
        certificate.ComputeCommitteeDigest(committeeDigest);
        Span<byte> digest = stackalloc byte[32];
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if ((signers & (1u << position)) == 0)
                continue;
            certificate.ComputeAttestationSigningDigest(committeeDigest, CommitteeMember(position), digest);
            certificate.AddSigner(position, Sign(CommitteeMember(position), digest));
        }
        return certificate;
    }

    public static readonly Gen<DeltaMessage> VoteSetDelta =
        from round in WireGenerators.Round
        from directory in WireGenerators.Hash
        from voters in Gen.ArrayOf(Gen.Zip(Member, WireGenerators.Decision), 6)
        select SignDelta(round, directory, voters);

    private static DeltaMessage SignDelta(RoundId round, Hash32 directory, (uint Voter, Decision Decision)[] voters)
    {
        Span<byte> digest = stackalloc byte[32];
        var entries = new List<VoteSetEntry>();
        foreach (var (voter, decision) in voters)
        {
            Core.Wire.Vote.ComputeSigningDigest(round, directory, voter, decision, digest);
            entries.Add(new VoteSetEntry { VoterIndex = voter, Decision = decision, Signature = Sign(voter, digest) });
        }
        return new DeltaMessage(round, directory, WireGenerators.Canonical(entries));
    }

    /// <summary>Whether every signature a receiving node would check verifies (an unknown signer never does).</summary>
    public static bool AllSignaturesVerify(object message)
    {
        Span<byte> digest = stackalloc byte[32];
        switch (message)
        {
            case Vote vote:
                vote.ComputeSigningDigest(digest);
                return Verifies(vote.VoterIndex, digest, vote.Signature);
            case Invitation invitation:
                invitation.ComputeSigningDigest(digest);
                return Verifies(invitation.SequencerIndex, digest, invitation.Signature);
            case InvitationReply reply:
                reply.ComputeSigningDigest(digest);
                return Verifies(reply.BuddyIndex, digest, reply.Signature);
            case Attestation attestation:
                attestation.ComputeSigningDigest(digest);
                return Verifies(attestation.AttesterIndex, digest, attestation.Signature);
            case Proposal proposal:
                proposal.ComputeSigningDigest(digest);
                return Verifies(proposal.Committee.SequencerIndex, digest, proposal.Signature)
                    && DeclinesVerify(proposal.Round, proposal.DirectoryHash, proposal.Committee);
            case Certificate certificate:
                if (!DeclinesVerify(certificate.Round, certificate.DirectoryHash, certificate.Committee))
                    return false;
                var committeeDigest = default(Hash32);
                certificate.ComputeCommitteeDigest(committeeDigest);
                for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
                {
                    if (!certificate.HasSigner(position))
                        continue;
                    certificate.ComputeAttestationSigningDigest(committeeDigest, CommitteeMember(position), digest);
                    if (!Verifies(CommitteeMember(position), digest, certificate.Signatures[position]))
                        return false;
                }
                return true;
            case DeltaMessage delta:
                foreach (var entry in delta.Entries)
                {
                    Core.Wire.Vote.ComputeSigningDigest(delta.Round, delta.DirectoryHash, entry.VoterIndex, entry.Decision, digest);
                    if (!Verifies(entry.VoterIndex, digest, entry.Signature))
                        return false;
                }
                return true;
            default:
                throw new ArgumentException($"not a signed message: {message.GetType()}", nameof(message));
        }
    }

    private static bool DeclinesVerify(in RoundId round, in Hash32 directory, in CommitteeProof committee)
    {
        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < committee.DeclineCount; i++)
        {
            committee.ComputeDeclineSigningDigest(round, directory, i, digest);
            if (!Verifies(committee.Declines[i].BuddyIndex, digest, committee.Declines[i].Signature))
                return false;
        }
        return true;
    }
}
