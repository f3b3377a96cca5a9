using System.Collections.Immutable;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Consensus;

/// <summary>
/// Block, vote and round state of the rounds this node runs, queryable while they run (the seed's <c>Metadata</c>).
/// The synchronous members read the node's state directly and must be called on its loop (the simulation and tests
/// run there); <see cref="QueryAsync"/> and <see cref="QueryAllAsync"/> may be called from any thread.
/// </summary>
public sealed class Metadata
{
    private readonly RoundTable _rounds;
    private readonly LoopCalls _calls;
    private readonly NodeRuntime _runtime;

    internal Metadata(NodeRuntime runtime, RoundTable rounds, LoopCalls calls)
    {
        _runtime = runtime;
        _rounds = rounds;
        _calls = calls;
    }

    /// <summary>Rounds live on this node (loop only).</summary>
    public int LiveRoundCount => _rounds.Count;

    /// <summary>Requests this node has in flight, every round together (loop only).</summary>
    public int RequestsInFlight => _runtime.Requests.Count;

    /// <summary>A snapshot of one live round (loop only).</summary>
    public bool TryGetRound(RoundId round, out RoundSnapshot? snapshot)
    {
        snapshot = _rounds.TryGet(round, out var live) ? RoundSnapshot.Of(live) : null;
        return snapshot is not null;
    }

    /// <summary>Whether this node has finished the round (recently: the memory is bounded) (loop only).</summary>
    public bool HasFinished(RoundId round) => _rounds.IsFinished(round);

    /// <summary>Snapshots of every live round (loop only).</summary>
    public ImmutableArray<RoundSnapshot> GetRounds()
    {
        var snapshots = ImmutableArray.CreateBuilder<RoundSnapshot>(_rounds.Count);
        foreach (var round in _rounds.Live)
            snapshots.Add(RoundSnapshot.Of(round));
        return snapshots.MoveToImmutable();
    }

    /// <summary>A snapshot of one live round, or null, taken on the loop (any thread).</summary>
    public Task<RoundSnapshot?> QueryAsync(RoundId round) =>
        _calls.Run(() => TryGetRound(round, out var snapshot) ? snapshot : null);

    /// <summary>Snapshots of every live round, taken on the loop (any thread).</summary>
    public Task<ImmutableArray<RoundSnapshot>> QueryAllAsync() => _calls.Run(GetRounds);

    /// <summary>How many inbound messages were dropped for <paramref name="reason"/> (any thread).</summary>
    public long GetDropCount(DropReason reason) => _runtime.Drops[reason];
}
