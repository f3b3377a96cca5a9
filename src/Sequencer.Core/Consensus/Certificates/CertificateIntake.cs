using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Certificates;

/// <summary>
/// Every node's handling of a certificate announced to the network: verify it (<see cref="CertificateVerifier"/>),
/// append it to the decision log, and, when the round is live here, let it decide the round (the sequencer's outcome
/// completes this way when a buddy built the certificate). Loop-only.
/// </summary>
internal sealed class CertificateIntake(NodeRuntime runtime, RoundTable rounds)
{
    public void OnCertificate(in Certificate certificate, ReadOnlySpan<byte> encoded, int fromValidator)
    {
        if (runtime.Decisions.IsRecorded(certificate.Round, certificate.Value))
        {
            // A copy of one this node holds (maybe its own, waiting for its turn to be announced): someone announced it.
            runtime.Certificates.OnHeard(certificate.Round);
            runtime.Drop(DropReason.Duplicate, fromValidator);
            return;
        }
        rounds.TryGet(certificate.Round, out var round);
        var directory = round?.Directory ?? runtime.CurrentDirectory;
        if (CertificateVerifier.Verify(directory, runtime.CommitteeSize, certificate, round?.Committee, runtime.Context.CommitteeCache) is { } refusal)
        {
            runtime.Drop(refusal, fromValidator);
            return;
        }
        runtime.Certificates.OnHeard(certificate.Round);
        var bytes = encoded.ToArray();
        if (round is not null)
            round.Decide(certificate.Value, bytes);
        else
            runtime.Decisions.Record(certificate.Round, certificate.Value, bytes);
    }
}
