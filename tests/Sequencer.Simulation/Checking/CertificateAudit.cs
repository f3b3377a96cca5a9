using Sequencer.Core.Committee;

namespace Sequencer.Simulation.Checking;

/// <summary>The checker's own verdict on one certificate: valid, or why not; and the committee it was checked against.</summary>
public sealed record CertificateAudit(bool IsValid, string? Problem, EffectiveCommittee? Committee, int Signers)
{
    public static CertificateAudit Invalid(string problem, EffectiveCommittee? committee = null, int signers = 0) =>
        new(false, problem, committee, signers);
}
