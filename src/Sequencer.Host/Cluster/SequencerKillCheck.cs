namespace Sequencer.Host.Cluster;

/// <summary>
/// After <c>--kill-sequencer</c>: what every live node answered about the height whose sequencer died mid-round, once its
/// deadline had passed. Consistent when no two nodes hold different certificates (DESIGN §3: a node that saw a
/// certificate reports it, every other one <c>timedOut</c> or, if the round never reached it, <c>unknown</c>).
/// </summary>
internal sealed record SequencerKillCheck(int Round, ulong Height, int Sequencer, IReadOnlyDictionary<int, DecisionEvent?> Answers)
{
    /// <summary>The distinct certificates reported: (state, block).</summary>
    public IReadOnlyList<(NodeDecision State, string? Block)> Certificates =>
        [.. Answers.Values
            .Where(a => a is { State: NodeDecision.Accepted or NodeDecision.Rejected })
            .Select(a => (a!.State, a.Block))
            .Distinct()];

    public bool Consistent => Certificates.Count <= 1;

    public int Count(NodeDecision state) => Answers.Values.Count(a => a?.State == state);

    /// <summary>Live nodes that gave no answer in time.</summary>
    public int Unanswered => Answers.Values.Count(a => a is null);
}
