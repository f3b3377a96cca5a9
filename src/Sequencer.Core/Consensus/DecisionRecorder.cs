using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// Appends every verified certificate this node sees to its decision log, once per round and value (a certificate
/// arrives from the builder, the announce topic and sometimes both). The memory of what was appended is bounded; a
/// certificate older than it may be appended again, which the log tolerates (it records, it does not decide).
/// </summary>
internal sealed class DecisionRecorder(IDecisionLog log, IConsensusObserver observer)
{
    private const int Remembered = 4096;

    private readonly HashSet<(RoundId, Decision)> _recorded = [];
    private readonly Queue<(RoundId, Decision)> _order = new();

    public bool IsRecorded(in RoundId round, Decision value) => _recorded.Contains((round, value));

    /// <summary>Appends the certificate unless it already was; false when it was.</summary>
    public bool Record(in RoundId round, Decision value, ReadOnlySpan<byte> certificate)
    {
        if (!_recorded.Add((round, value)))
            return false;
        _order.Enqueue((round, value));
        if (_order.Count > Remembered)
            _recorded.Remove(_order.Dequeue());
        try
        {
            log.Append(round.ChainId, round.Height, value, certificate);
        }
        catch (IOException error)
        {
            observer.OnDecisionLogFailed(round, error);
            return true;
        }
        observer.OnCertificateLogged(round, value, certificate);
        return true;
    }
}
