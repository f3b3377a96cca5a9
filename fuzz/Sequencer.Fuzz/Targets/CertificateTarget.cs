using System.Buffers;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.ContractViolationException;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="Certificate.TryDecode"/>; a decoded certificate also gives its committee digest and each signer's
/// attestation digest, and counts as many signers as its bitmap has positions set.
/// </summary>
internal sealed class CertificateTarget : WireMessageTarget<Certificate>
{
    public override string Name => "wire-certificate";

    protected override WireMessageType Type => WireMessageType.Certificate;

    public override IEnumerable<byte[]> Seeds()
    {
        var certificate = new Certificate
        {
            Round = Round(1), DirectoryHash = Hash(2), Value = Decision.Accept, Committee = ProposalTarget.SampleCommittee(declines: 1),
        };
        certificate.AddSigner(0, Signature(3));
        certificate.AddSigner(4, Signature(4));
        certificate.AddSigner(WireLimits.MaxCommitteeCandidates - 1, Signature(5));
        yield return Encoded(certificate.Encode);
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out Certificate message) =>
        Certificate.TryDecode(input, out message);

    protected override void Encode(in Certificate message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in Certificate left, in Certificate right) => left.Equals(right);

    protected override void UseDecoded(in Certificate message)
    {
        var committeeDigest = default(Hash32);
        message.ComputeCommitteeDigest(committeeDigest);
        Span<byte> digest = stackalloc byte[32];
        var signers = 0;
        for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
        {
            if (!message.HasSigner(position))
                continue;
            signers++;
            message.ComputeAttestationSigningDigest(committeeDigest, (uint)position, digest);
        }
        ThrowIf(signers != message.SignerCount, "the signer count disagrees with the positions set");
    }
}
