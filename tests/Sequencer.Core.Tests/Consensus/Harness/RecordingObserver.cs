using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>Keeps what one node reported.</summary>
internal sealed class RecordingObserver : IConsensusObserver
{
    public List<RoundOutcome> Outcomes { get; } = [];

    public List<(RoundId Round, Decision Value)> Certificates { get; } = [];

    public List<(RoundId Round, Decision Value)> Attestations { get; } = [];

    public List<(RoundId Round, Decision Decision, int Buddy)> VotesSent { get; } = [];

    public List<(RoundId Round, VoteAckStatus Status, int Buddy)> Acknowledgements { get; } = [];

    public List<SafetyViolation> SigningRefusals { get; } = [];

    public List<(DropReason Reason, int From)> Drops { get; } = [];

    public void OnRoundOutcome(RoundOutcome outcome) => Outcomes.Add(outcome);

    public void OnCertificateLogged(RoundId round, Decision value, ReadOnlySpan<byte> certificate) => Certificates.Add((round, value));

    public void OnAttested(RoundId round, Decision value) => Attestations.Add((round, value));

    public void OnVoteSent(RoundId round, Decision decision, int buddyIndex) => VotesSent.Add((round, decision, buddyIndex));

    public void OnVoteAcknowledged(RoundId round, VoteAckStatus status, int buddyIndex) => Acknowledgements.Add((round, status, buddyIndex));

    public void OnSigningRefused(RoundId round, SafetyViolation violation) => SigningRefusals.Add(violation);

    public void OnMessageDropped(DropReason reason, int fromValidator) => Drops.Add((reason, fromValidator));
}
