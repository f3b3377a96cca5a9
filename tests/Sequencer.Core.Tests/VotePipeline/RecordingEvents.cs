using System.Collections.Concurrent;
using Sequencer.Core.Crdt;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.VotePipeline;

/// <summary>
/// Collects what a pipeline reports. With a <see cref="Gate"/>, a worker reporting a batch stops inside the callback
/// until the test opens it: that holds the worker still so a test can fill the queue or race a claim deterministically.
/// </summary>
internal sealed class RecordingEvents : IVotePipelineEvents
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<VoteVerdict> _verdicts = new();
    private readonly ConcurrentQueue<(Decision Decision, VoteTallySnapshot Tally)> _quorums = new();
    private int _verdictCount;

    public ManualResetEventSlim? Gate { get; init; }

    /// <summary>Set once a batch report has started (with a gate: a worker is now parked in it).</summary>
    public ManualResetEventSlim Reporting { get; } = new(false);

    public IReadOnlyCollection<VoteVerdict> Verdicts => _verdicts;

    public IReadOnlyCollection<(Decision Decision, VoteTallySnapshot Tally)> Quorums => _quorums;

    public void OnVotesVerified(RoundVotePipeline pipeline, ReadOnlySpan<VoteVerdict> verdicts)
    {
        foreach (var verdict in verdicts)
            _verdicts.Enqueue(verdict);
        Interlocked.Add(ref _verdictCount, verdicts.Length);
        Reporting.Set();
        if (Gate is not null && !Gate.Wait(Patience))
            throw new TimeoutException("the test never opened the gate");
    }

    public void OnQuorumReached(RoundVotePipeline pipeline, Decision decision, VoteTallySnapshot tally) =>
        _quorums.Enqueue((decision, tally));

    /// <summary>Waits until <paramref name="count"/> verdicts have arrived (failing the test after a minute, not hanging it).</summary>
    public void WaitForVerdicts(int count)
    {
        if (!SpinWait.SpinUntil(() => Volatile.Read(ref _verdictCount) >= count, Patience))
            throw new TimeoutException($"{Volatile.Read(ref _verdictCount)} of {count} verdicts arrived");
    }

    public void WaitUntilReporting()
    {
        if (!Reporting.Wait(Patience))
            throw new TimeoutException("no worker reported a batch");
    }
}
