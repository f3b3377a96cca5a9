using System.Buffers;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Consensus.Certificates;
using Sequencer.Core.Primitives;
using Sequencer.Core.Tests.Consensus.Harness;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus;

public sealed class CertificateTests
{
    private static readonly ConsensusOptions s_options = TestCluster.SmallCommittee;

    [Fact]
    public void IntactCertificateVerifies()
    {
        var (directory, certificate) = Healthy();

        Assert.Null(CertificateVerifier.Verify(directory, s_options.CommitteeSize, certificate, knownCommittee: null));
    }

    [Fact]
    public void TooFewSignersAreNoCertificate()
    {
        var (directory, certificate) = Healthy();
        while (QuorumRules.IsCertificateQuorum(certificate.SignerCount, 7))
            certificate.SignerBitmap &= certificate.SignerBitmap - 1;

        Assert.Equal(DropReason.InvalidCertificate, CertificateVerifier.Verify(directory, s_options.CommitteeSize, certificate, null));
    }

    [Fact]
    public void SignerOutsideTheCommitteeIsRefused()
    {
        var (directory, certificate) = Healthy();
        // Position 9 is a backup no decline reached: drawn, but not serving.
        certificate.AddSigner(9, certificate.Signatures[FirstSigner(certificate)]);

        Assert.Equal(DropReason.InvalidCertificate, CertificateVerifier.Verify(directory, s_options.CommitteeSize, certificate, null));
    }

    [Fact]
    public void SignatureOfAnotherValueIsRefused()
    {
        var (directory, certificate) = Healthy();
        certificate.Value = Decision.Reject;

        Assert.Equal(DropReason.BadSignature, CertificateVerifier.Verify(directory, s_options.CommitteeSize, certificate, null));
    }

    [Fact]
    public void TamperedCommitteeProofIsRefused()
    {
        var (directory, certificate) = Healthy();
        certificate.Committee.ParentHash = TestCluster.HashOf("another parent");

        Assert.Equal(DropReason.BadCommitteeProof, CertificateVerifier.Verify(directory, s_options.CommitteeSize, certificate, null));
    }

    [Fact]
    public void CollectorCountsEachMemberOncePerValueAndBuildsAtTheQuorum()
    {
        using var cluster = new TestCluster(16, s_options);
        var block = TestCluster.Block(40);
        var round = TestCluster.IdOf(block);
        var committee = cluster.SeatsFor(0, block).WithoutDeclines(round, 1_800_000_000_000);
        var collector = new AttestationCollector(committee);
        var members = committee.Members.Select(m => m.ValidatorIndex).ToArray();
        var outsider = Enumerable.Range(1, 15).First(i => !committee.Contains(i));

        Assert.Equal(AttestationCheck.NotInCommittee, collector.Add(Attest(cluster, committee, outsider, Decision.Accept), outsider));
        Assert.Equal(AttestationCheck.NotInCommittee, collector.Add(Attest(cluster, committee, members[0], Decision.Accept), members[1]));
        var forged = Attest(cluster, committee, members[0], Decision.Accept);
        forged.Signature[0] ^= 1;
        Assert.Equal(AttestationCheck.BadSignature, collector.Add(forged, members[0]));
        var otherCommittee = Attest(cluster, committee, members[0], Decision.Accept);
        otherCommittee.CommitteeDigest = TestCluster.HashOf("another committee");
        Assert.Equal(AttestationCheck.WrongCommittee, collector.Add(otherCommittee, members[0]));

        // A member attesting both values (a faulty buddy) counts on both sides; each side still needs 5 of 7.
        Assert.Equal(AttestationCheck.Added, collector.Add(Attest(cluster, committee, members[0], Decision.Accept), members[0]));
        Assert.Equal(AttestationCheck.Duplicate, collector.Add(Attest(cluster, committee, members[0], Decision.Accept), members[0]));
        Assert.Equal(AttestationCheck.Added, collector.Add(Attest(cluster, committee, members[0], Decision.Reject), members[0]));
        for (var i = 1; i < 4; i++)
            Assert.Equal(AttestationCheck.Added, collector.Add(Attest(cluster, committee, members[i], Decision.Accept), members[i]));
        Assert.Null(collector.Certificate);
        Assert.Equal(AttestationCheck.CertificateBuilt, collector.Add(Attest(cluster, committee, members[4], Decision.Accept), -1));

        Assert.Equal(Decision.Accept, collector.CertificateValue);
        Assert.True(Certificate.TryDecode(new ReadOnlySequence<byte>(collector.Certificate!), out var certificate).IsOk);
        Assert.Equal(5, certificate.SignerCount);
        Assert.Null(CertificateVerifier.Verify(cluster.Directory, s_options.CommitteeSize, certificate, committee));
    }

    private static Attestation Attest(TestCluster cluster, EffectiveCommittee committee, int attester, Decision value)
    {
        var attestation = new Attestation
        {
            Round = committee.Round,
            DirectoryHash = cluster.Directory.Hash,
            CommitteeDigest = committee.Digest,
            AttesterIndex = (uint)attester,
            Value = value,
        };
        var digest = default(Hash32);
        attestation.ComputeSigningDigest(digest);
        new DeterministicSigner(TestCluster.KeyOf(attester), attester).Sign(digest, attestation.Signature);
        return attestation;
    }

    private static int FirstSigner(in Certificate certificate)
    {
        for (var position = 0; ; position++)
        {
            if (certificate.HasSigner(position))
                return position;
        }
    }

    private static (ValidatorDirectory Directory, Certificate Certificate) Healthy()
    {
        var captured = RouterTests.CaptureHealthyRound();
        using var cluster = new TestCluster(16, s_options);
        Assert.True(Certificate.TryDecode(new ReadOnlySequence<byte>(captured.Certificate), out var certificate).IsOk);
        return (cluster.Directory, certificate);
    }
}
