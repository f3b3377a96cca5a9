using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

/// <summary>Signing digests: the documented encodings, and no digest shared across types, chains, heights or epochs.</summary>
public sealed class SigningDigestTests
{
    private static byte[] Digest(Action<Span<byte>> compute)
    {
        var digest = new byte[32];
        compute(digest);
        return digest;
    }

    /// <summary>BIP340 tagged hash computed independently of the project's TaggedHash (with .NET's SHA-256).</summary>
    private static byte[] ReferenceTaggedHash(string tag, byte[] message)
    {
        var tagHash = SHA256.HashData(Encoding.UTF8.GetBytes(tag));
        return SHA256.HashData([.. tagHash, .. tagHash, .. message]);
    }

    private static byte[] RoundBytes(in RoundId round)
    {
        var bytes = new byte[48];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, round.ChainId);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), round.Height);
        round.BlockHash.AsReadOnlySpan().CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    [Property]
    public Property VoteDigestIsTheDocumentedTaggedHash() => Prop.ForAll(WireGenerators.Vote.ToArbitrary(), vote =>
    {
        byte[] encoding = [.. RoundBytes(vote.Round), .. vote.DirectoryHash.AsReadOnlySpan(), .. U32(vote.VoterIndex), (byte)vote.Decision];
        return Digest(vote.ComputeSigningDigest).AsSpan().SequenceEqual(ReferenceTaggedHash("jmzk/sequencer/vote/v1", encoding));
    });

    [Property]
    public Property AttestationDigestIsTheDocumentedTaggedHash() => Prop.ForAll(WireGenerators.Attestation.ToArbitrary(), a =>
    {
        byte[] encoding = [.. RoundBytes(a.Round), .. a.DirectoryHash.AsReadOnlySpan(), .. a.CommitteeDigest.AsReadOnlySpan(), .. U32(a.AttesterIndex), (byte)a.Value];
        return Digest(a.ComputeSigningDigest).AsSpan().SequenceEqual(ReferenceTaggedHash("jmzk/sequencer/attestation/v1", encoding));
    });

    [Property]
    public Property InvitationAndReplyDigestsAreTheDocumentedTaggedHashes() =>
        Prop.ForAll(WireGenerators.Invitation.ToArbitrary(), WireGenerators.InvitationReply.ToArbitrary(), (i, r) =>
        {
            byte[] invitation = [.. RoundBytes(i.Round), .. i.DirectoryHash.AsReadOnlySpan(), .. i.ParentHash.AsReadOnlySpan(),
                .. U32(i.SequencerIndex), .. U32(i.BuddyIndex), .. i.Proof.AsReadOnlySpan(), .. U64(i.Deadline)];
            byte[] reply = [.. RoundBytes(r.Round), .. r.DirectoryHash.AsReadOnlySpan(), .. r.InvitationDigest.AsReadOnlySpan(),
                .. U32(r.BuddyIndex), (byte)r.Answer, (byte)r.Reason];
            return Digest(i.ComputeSigningDigest).AsSpan().SequenceEqual(ReferenceTaggedHash(SigningDomains.InvitationTag, invitation))
                && Digest(r.ComputeSigningDigest).AsSpan().SequenceEqual(ReferenceTaggedHash(SigningDomains.InvitationReplyTag, reply));
        });

    [Property]
    public Property ProposalDigestBindsTheCommitteeDigestAndSummary() => Prop.ForAll(WireGenerators.Proposal.ToArbitrary(), p =>
    {
        var wire = WireCodecs.Encode(p);
        var proofBytes = wire.AsSpan(82, p.Committee.EncodedLength).ToArray();
        var committeeDigest = ReferenceTaggedHash(SigningDomains.CommitteeTag, [.. RoundBytes(p.Round), .. p.DirectoryHash.AsReadOnlySpan(), .. proofBytes]);
        var summary = p.BlockSummary.ToArray();
        byte[] encoding = [.. RoundBytes(p.Round), .. p.DirectoryHash.AsReadOnlySpan(), .. committeeDigest,
            (byte)(summary.Length >> 8), (byte)summary.Length, .. summary];
        var proposal = p;
        return Digest(proposal.ComputeSigningDigest).AsSpan().SequenceEqual(ReferenceTaggedHash(SigningDomains.ProposalTag, encoding))
            && Digest(d => proposal.Committee.ComputeDigest(proposal.Round, proposal.DirectoryHash, d)).AsSpan().SequenceEqual(committeeDigest);
    });

    [Fact]
    public void EveryTagIsDistinct()
    {
        string[] tags = [SigningDomains.InvitationTag, SigningDomains.InvitationReplyTag, SigningDomains.ProposalTag,
            SigningDomains.VoteTag, SigningDomains.AttestationTag, SigningDomains.CommitteeTag];
        Assert.Equal(tags.Length, tags.Distinct().Count());
    }

    /// <summary>
    /// The same values read as a vote and as an attestation (or as a reply) must never share a digest: a voter's
    /// signature must not double as a buddy's attestation.
    /// </summary>
    [Property]
    public Property DigestsDifferAcrossMessageTypes() => Prop.ForAll(WireGenerators.Vote.ToArbitrary(), vote =>
    {
        var zero = default(Hash32);
        var asVote = Digest(vote.ComputeSigningDigest);
        var asAttestation = Digest(d => Attestation.ComputeSigningDigest(vote.Round, vote.DirectoryHash, zero, vote.VoterIndex, vote.Decision, d));
        var asReply = Digest(d => InvitationReply.ComputeSigningDigest(vote.Round, vote.DirectoryHash, zero, vote.VoterIndex, (InvitationAnswer)vote.Decision, DeclineReason.None, d));
        return !asVote.AsSpan().SequenceEqual(asAttestation) && !asVote.AsSpan().SequenceEqual(asReply)
            && !asAttestation.AsSpan().SequenceEqual(asReply);
    });

    /// <summary>Changing any one bound field — chain, height, block, directory, voter, decision — changes the digest.</summary>
    [Property]
    public Property VoteDigestBindsEveryField()
    {
        var input = WireGenerators.Vote.SelectMany(vote => Gen.Choose(0, 5).Select(field => (vote, field)));
        return Prop.ForAll(input.ToArbitrary(), x =>
        {
            var vote = x.vote;
            var changed = vote;
            var block = vote.Round.BlockHash;
            switch (x.field)
            {
                case 0: changed.Round = new RoundId(vote.Round.ChainId + 1, vote.Round.Height, block); break;
                case 1: changed.Round = new RoundId(vote.Round.ChainId, vote.Round.Height + 1, block); break;
                case 2: block[0] ^= 1; changed.Round = new RoundId(vote.Round.ChainId, vote.Round.Height, block); break;
                case 3: changed.DirectoryHash[31] ^= 0x80; break;
                case 4: changed.VoterIndex ^= 1; break;
                default: changed.Decision = vote.Decision == Decision.Accept ? Decision.Reject : Decision.Accept; break;
            }
            return !Digest(vote.ComputeSigningDigest).AsSpan().SequenceEqual(Digest(changed.ComputeSigningDigest));
        });
    }

    /// <summary>An attestation under one committee proof never has the digest of the same attestation under another.</summary>
    [Property]
    public Property AttestationDigestBindsTheCommittee() =>
        Prop.ForAll(WireGenerators.Proposal.ToArbitrary(), WireGenerators.CommitteeProof.ToArbitrary(), (p, other) =>
        {
            var proposal = p;
            var first = Digest(d => proposal.Committee.ComputeDigest(proposal.Round, proposal.DirectoryHash, d));
            var second = Digest(d => other.ComputeDigest(proposal.Round, proposal.DirectoryHash, d));
            return proposal.Committee.Equals(other) || !first.AsSpan().SequenceEqual(second);
        });

    [Fact]
    public void DeltaEntriesShareTheDigestOfTheVoteTheyStandFor()
    {
        var vote = WireGenerators.Vote.Sample(1, 10).Single();
        var entry = VoteSetEntry.FromVote(vote);
        var fromEntry = Digest(d => Vote.ComputeSigningDigest(vote.Round, vote.DirectoryHash, entry.VoterIndex, entry.Decision, d));
        Assert.Equal(Digest(vote.ComputeSigningDigest), fromEntry);
    }
}
