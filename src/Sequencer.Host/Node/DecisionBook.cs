using System.Buffers;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Host.Node;

/// <summary>
/// What one node knows per height of its chain: the certificate its decision log holds (loaded from the log at start,
/// then every one it appends), and the rounds it took part in with the time by which each must have ended. It answers
/// the control protocol's <c>decision</c> query and the <see cref="ChainContinuityValidator"/>'s "which block was
/// decided at h − 1". Loop-only: the node's observer fills it and every reader runs on the loop.
/// </summary>
/// <remarks>
/// A participant does not know a round's deadline when it takes a role, but the deadline is the sequencer's start plus
/// ConsensusTimeout, and the sequencer starts before anyone else hears of the round: the participant's own start plus
/// ConsensusTimeout (plus the allowed clock skew) is therefore never earlier, so "timed out" is never said too soon.
/// The book keeps at most <see cref="MaxHeights"/> heights; the oldest are forgotten first.
/// </remarks>
internal sealed class DecisionBook(ulong chainId, TimeProvider time, TimeSpan roundBound)
{
    public const int MaxHeights = 16384;

    private readonly Dictionary<ulong, (Decision Value, Hash32 Block)> _certified = [];
    private readonly Dictionary<ulong, long> _participation = [];
    private readonly Queue<ulong> _order = new();

    public ulong ChainId { get; } = chainId;

    /// <summary>Reads the certificates a decision log already holds (records of other chains are skipped).</summary>
    public void Load(IEnumerable<DecisionRecord> records)
    {
        foreach (var record in records)
        {
            if (record.ChainId != ChainId)
                continue;
            if (Certificate.TryDecode(new ReadOnlySequence<byte>(record.Certificate), out var certificate).IsOk)
                RecordCertificate(certificate.Round, record.Outcome);
        }
    }

    public void RecordCertificate(in RoundId round, Decision value)
    {
        if (round.ChainId != ChainId)
            return;
        if (!_certified.ContainsKey(round.Height) && !_participation.ContainsKey(round.Height))
            Remember(round.Height);
        _certified[round.Height] = (value, round.BlockHash);
    }

    public void RecordParticipation(in RoundId round)
    {
        if (round.ChainId != ChainId)
            return;
        var endsBy = time.GetTimestamp() + (long)(roundBound.TotalSeconds * time.TimestampFrequency);
        if (_participation.TryGetValue(round.Height, out var known))
        {
            _participation[round.Height] = Math.Max(known, endsBy);
            return;
        }
        if (!_certified.ContainsKey(round.Height))
            Remember(round.Height);
        _participation[round.Height] = endsBy;
    }

    /// <summary>The block an Accept certificate decided at <paramref name="height"/>, if this node holds one.</summary>
    public bool TryGetAccepted(ulong height, out Hash32 block)
    {
        if (_certified.TryGetValue(height, out var entry) && entry.Value == Decision.Accept)
        {
            block = entry.Block;
            return true;
        }
        block = default;
        return false;
    }

    /// <param name="live">Whether a round at <paramref name="height"/> is live on the node right now.</param>
    public DecisionAnswer Query(ulong height, bool live)
    {
        if (_certified.TryGetValue(height, out var entry))
            return new DecisionAnswer(height, entry.Value == Decision.Accept ? DecisionState.Accepted : DecisionState.Rejected, entry.Block);
        if (live)
            return new DecisionAnswer(height, DecisionState.Pending, null);
        if (_participation.TryGetValue(height, out var endsBy))
            return new DecisionAnswer(height, time.GetTimestamp() < endsBy ? DecisionState.Pending : DecisionState.TimedOut, null);
        return new DecisionAnswer(height, DecisionState.Unknown, null);
    }

    private void Remember(ulong height)
    {
        _order.Enqueue(height);
        while (_order.Count > MaxHeights)
        {
            var oldest = _order.Dequeue();
            _certified.Remove(oldest);
            _participation.Remove(oldest);
        }
    }
}
