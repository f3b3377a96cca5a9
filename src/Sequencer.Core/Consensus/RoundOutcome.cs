using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// How a round ended for its sequencer (DESIGN §3 steps 9–10). Reported only once it exists: a certificate
/// (<see cref="Accepted"/>, <see cref="Rejected"/>) or the deadline (<see cref="TimedOut"/>) — never "success" before
/// consensus, as the original did (reference §9.5). <c>Accepted</c> is final; the other two end only this attempt.
/// </summary>
public abstract record RoundOutcome
{
    private RoundOutcome(RoundId round) => Round = round;

    public RoundId Round { get; }

    /// <summary>The decided value, or null for <see cref="TimedOut"/>.</summary>
    public abstract Decision? Value { get; }

    /// <summary>More than 2/3 of the committee attested Accept; <see cref="Certificate"/> is the encoded certificate.</summary>
    public sealed record Accepted : RoundOutcome
    {
        public Accepted(RoundId round, ReadOnlyMemory<byte> certificate) : base(round) => Certificate = certificate;

        public ReadOnlyMemory<byte> Certificate { get; }

        public override Decision? Value => Decision.Accept;
    }

    /// <summary>More than 2/3 of the committee attested Reject; <see cref="Certificate"/> is the encoded certificate.</summary>
    public sealed record Rejected : RoundOutcome
    {
        public Rejected(RoundId round, ReadOnlyMemory<byte> certificate) : base(round) => Certificate = certificate;

        public ReadOnlyMemory<byte> Certificate { get; }

        public override Decision? Value => Decision.Reject;
    }

    /// <summary>The deadline passed without a certificate; the diagnosis says who attested what and who stayed silent.</summary>
    public sealed record TimedOut : RoundOutcome
    {
        public TimedOut(RoundId round, RoundDiagnosis diagnosis) : base(round) => Diagnosis = diagnosis;

        public RoundDiagnosis Diagnosis { get; }

        public override Decision? Value => null;
    }

    internal static RoundOutcome FromCertificate(in RoundId round, Decision value, ReadOnlyMemory<byte> certificate) =>
        value == Decision.Accept ? new Accepted(round, certificate) : new Rejected(round, certificate);
}
