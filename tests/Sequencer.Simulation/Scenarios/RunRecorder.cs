using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Scenarios;

/// <summary>
/// What the nodes of a run report through <see cref="IConsensusObserver"/>, with the virtual time and the host: the
/// sequencers' outcomes (how the run learns that a round decided, and when), the certificates logged, and counters of
/// refusals and drops for the report.
/// </summary>
public sealed class RunRecorder(SimulationScheduler scheduler)
{
    private readonly SimulationScheduler _scheduler = scheduler;

    public List<RecordedOutcome> Outcomes { get; } = [];

    public List<(int Host, RoundId Round, Decision Value, byte[] Certificate)> LoggedCertificates { get; } = [];

    public Dictionary<string, int> Counters { get; } = new(StringComparer.Ordinal);

    public Action<RecordedOutcome>? OnOutcome { get; set; }

    public IConsensusObserver For(int host) => new HostObserver(this, host);

    private void Count(string what) => Counters[what] = Counters.GetValueOrDefault(what) + 1;

    public readonly record struct RecordedOutcome(int Host, RoundOutcome Outcome, TimeSpan Time);

    private sealed class HostObserver(RunRecorder recorder, int host) : IConsensusObserver
    {
        public void OnRoundOutcome(RoundOutcome outcome)
        {
            var recorded = new RecordedOutcome(host, outcome, recorder._scheduler.Now);
            recorder.Outcomes.Add(recorded);
            recorder.OnOutcome?.Invoke(recorded);
        }

        public void OnCertificateLogged(RoundId round, Decision value, ReadOnlySpan<byte> certificate) =>
            recorder.LoggedCertificates.Add((host, round, value, certificate.ToArray()));

        public void OnDecisionLogFailed(RoundId round, IOException error) => recorder.Count("decision-log-failed");

        public void OnMessageDropped(DropReason reason, int fromValidator) => recorder.Count($"drop:{reason}");

        public void OnVoteRefused(RoundId round, VoteAckStatus status, int voterIndex) => recorder.Count($"vote-refused:{status}");

        public void OnSigningRefused(RoundId round, SafetyViolation violation) => recorder.Count($"signing-refused:{violation.GetType().Name}");

        public void OnBlockValidationFailed(RoundId round, Exception error) => recorder.Count("block-validation-failed");
    }
}
