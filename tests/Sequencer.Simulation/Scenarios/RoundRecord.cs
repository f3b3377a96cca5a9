using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;

namespace Sequencer.Simulation.Scenarios;

/// <summary>One round a run started: who, when, for which block, and how it ended (filled in as the run goes).</summary>
public sealed class RoundRecord(ProposedBlock block, int sequencerHost, int sequencerValidator, TimeSpan startedAt, TimeSpan deadline, bool isAlternative)
{
    public ProposedBlock Block { get; } = block;

    public RoundId Id { get; } = new(block.ChainId, block.Height, block.BlockHash);

    public int SequencerHost { get; } = sequencerHost;

    public int SequencerValidator { get; } = sequencerValidator;

    public TimeSpan StartedAt { get; } = startedAt;

    public TimeSpan Deadline { get; } = deadline;

    /// <summary>The second block of a double proposal or a twin's round: only safety is asked of it.</summary>
    public bool IsAlternative { get; } = isAlternative;

    public RoundOutcome? Outcome { get; set; }

    public TimeSpan? DecidedAt { get; set; }

    /// <summary>Whether the liveness condition held for this round (set when the run is judged), and why not.</summary>
    public string? LivenessExemption { get; set; }

    public TimeSpan? Latency => DecidedAt - StartedAt;

    public override string ToString()
    {
        var outcome = Outcome switch
        {
            null => "no outcome",
            RoundOutcome.TimedOut timedOut => $"timed out ({timedOut.Diagnosis})",
            _ => $"{Outcome.Value} after {Latency!.Value.TotalMilliseconds:0.###} ms",
        };
        return $"height {Block.Height} block {Block.BlockHash.ToString()[..12]}{(IsAlternative ? " (alternative)" : "")} "
            + $"by validator {SequencerValidator} (host {SequencerHost}) at {StartedAt.TotalMilliseconds:0.###} ms: {outcome}"
            + (LivenessExemption is null ? "" : $" [liveness not required: {LivenessExemption}]");
    }
}
