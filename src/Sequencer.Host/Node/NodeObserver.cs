using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;
using Sequencer.Host.Logging;
using Sequencer.Host.Metrics;

namespace Sequencer.Host.Node;

/// <summary>
/// Everything a <see cref="ValidatorNode"/> does with its engine's reports, in one observer: the structured log line
/// (height, round, role and, where another validator is involved, its peer id), the metrics (when on), the
/// <see cref="DecisionBook"/>, and the listener's <c>certificate</c> event. Called on the node's loop only.
/// </summary>
internal sealed class NodeObserver(
    Logger logger, ValidatorDirectory directory, DecisionBook decisions, MetricsObserver? metrics, IValidatorNodeListener listener)
    : IConsensusObserver
{
    private readonly string?[] _peerNames = new string?[directory.Count];

    public void OnRoleStarted(RoundId round, RoundRoles role)
    {
        decisions.RecordParticipation(round);
        metrics?.OnRoleStarted(round, role);
        logger.At(LogLevel.Debug, "role started").Round(round).Role(role).Write();
    }

    public void OnRoundOutcome(RoundOutcome outcome)
    {
        metrics?.OnRoundOutcome(outcome);
        var round = outcome.Round;
        if (outcome is RoundOutcome.TimedOut timedOut)
        {
            logger.At(LogLevel.Warn, "round timed out").Round(round).Role(RoundRoles.Sequencer)
                .Field("diagnosis", timedOut.Diagnosis.ToString()).Write();
            return;
        }
        logger.At(LogLevel.Info, "round decided").Round(round).Role(RoundRoles.Sequencer)
            .Field("outcome", outcome.Value == Decision.Accept ? "accepted" : "rejected").Write();
    }

    public void OnCertificateLogged(RoundId round, Decision value, ReadOnlySpan<byte> certificate)
    {
        decisions.RecordCertificate(round, value);
        logger.At(LogLevel.Info, "certificate logged").Round(round).Field("value", value == Decision.Accept ? "accept" : "reject").Write();
        listener.OnCertificate(round.Height, round.BlockHash, value);
    }

    public void OnDecisionLogFailed(RoundId round, IOException error) =>
        logger.At(LogLevel.Error, "decision log failed: certificates are no longer recorded").Round(round).Exception(error).Write();

    public void OnMessageDropped(DropReason reason, int fromValidator)
    {
        metrics?.OnMessageDropped(reason, fromValidator);
        if (logger.IsEnabled(LogLevel.Debug))
            logger.At(LogLevel.Debug, "message dropped").Field("reason", reason.ToString()).Peer(PeerName(fromValidator)).Write();
    }

    public void OnVotesVerified(RoundId round, int count) => metrics?.OnVotesVerified(round, count);

    public void OnVoteRefused(RoundId round, VoteAckStatus status, int voterIndex)
    {
        metrics?.OnVoteRefused(round, status, voterIndex);
        logger.At(LogLevel.Debug, "vote refused").Round(round).Role(RoundRoles.Buddy).Peer(PeerName(voterIndex)).Field("status", status.ToString()).Write();
    }

    public void OnVoteSent(RoundId round, Decision decision, int buddyIndex) =>
        logger.At(LogLevel.Debug, "vote sent").Round(round).Role(RoundRoles.Voter).Peer(PeerName(buddyIndex))
            .Field("value", decision == Decision.Accept ? "accept" : "reject").Write();

    public void OnVoteAcknowledged(RoundId round, VoteAckStatus status, int buddyIndex) =>
        logger.At(LogLevel.Debug, "vote acknowledged").Round(round).Role(RoundRoles.Voter).Peer(PeerName(buddyIndex))
            .Field("status", status.ToString()).Write();

    public void OnAttested(RoundId round, Decision value) =>
        logger.At(LogLevel.Info, "attested").Round(round).Role(RoundRoles.Buddy).Field("value", value == Decision.Accept ? "accept" : "reject").Write();

    public void OnSigningRefused(RoundId round, SafetyViolation violation) =>
        logger.At(LogLevel.Warn, "signing refused").Round(round).Field("violation", violation.ToString()).Write();

    public void OnBlockValidationFailed(RoundId round, Exception error) =>
        logger.At(LogLevel.Warn, "block validation failed: no vote").Round(round).Role(RoundRoles.Voter).Exception(error).Write();

    private string PeerName(int index)
    {
        if ((uint)index >= (uint)_peerNames.Length)
            return "unknown";
        return _peerNames[index] ??= directory[index].PeerId.ToString();
    }
}
