using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;

namespace Sequencer.Core.Consensus;

/// <summary>
/// The node's live rounds by id and by topic, and a bounded memory of the rounds it has finished, so that a late
/// message for a finished round is told apart from one for a round never heard of (the first is answered "round
/// closed", both are dropped and counted). Loop-only.
/// </summary>
internal sealed class RoundTable(NodeRuntime runtime)
{
    /// <summary>How many finished rounds are remembered: far more than the heights a 20-second round spans in flight.</summary>
    public const int RememberedFinishedRounds = 4096;

    private readonly Dictionary<RoundId, Round> _live = [];
    private readonly Dictionary<string, (Round Round, RoundTopicKind Kind)> _topics = new(StringComparer.Ordinal);
    private readonly HashSet<RoundId> _finished = [];
    private readonly Queue<RoundId> _finishedOrder = new();

    public IEnumerable<Round> Live => _live.Values;

    public int Count => _live.Count;

    /// <summary>Rounds this node currently serves as a buddy (its load).</summary>
    public int BuddyRoundCount
    {
        get
        {
            var count = 0;
            foreach (var round in _live.Values)
            {
                if (round.Buddy is not null)
                    count++;
            }
            return count;
        }
    }

    public bool TryGet(in RoundId id, [NotNullWhen(true)] out Round? round) => _live.TryGetValue(id, out round);

    public bool IsFinished(in RoundId id) => _finished.Contains(id);

    /// <summary>Starts tracking a round with its one deadline.</summary>
    /// <exception cref="InvalidOperationException">The round is live or finished already.</exception>
    public Round Create(in RoundId id, ValidatorDirectory directory, ulong deadlineUnixMs)
    {
        if (_live.ContainsKey(id) || _finished.Contains(id))
            throw new InvalidOperationException($"round {id} already exists on this node");
        var round = new Round(runtime, this, id, directory, deadlineUnixMs);
        _live.Add(id, round);
        return round;
    }

    public void RegisterTopics(Round round, RoundTopics topics)
    {
        _topics[topics.Consensus] = (round, RoundTopicKind.Consensus);
        _topics[topics.CrdtSync] = (round, RoundTopicKind.CrdtSync);
    }

    public bool TryGetTopic(string topic, [NotNullWhen(true)] out Round? round, out RoundTopicKind kind)
    {
        if (_topics.TryGetValue(topic, out var entry))
        {
            (round, kind) = entry;
            return true;
        }
        (round, kind) = (null, default);
        return false;
    }

    public void Remove(Round round)
    {
        if (!_live.Remove(round.Id))
            return;
        if (round.Topics is { } topics)
        {
            _topics.Remove(topics.Consensus);
            _topics.Remove(topics.CrdtSync);
        }
        if (_finished.Add(round.Id))
        {
            _finishedOrder.Enqueue(round.Id);
            if (_finishedOrder.Count > RememberedFinishedRounds)
                _finished.Remove(_finishedOrder.Dequeue());
        }
    }
}
