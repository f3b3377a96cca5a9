namespace Sequencer.Core.Consensus;

/// <summary>Where a node's buddy rounds verify vote signatures (ENGINE §1, §4).</summary>
public enum VotePipelineMode
{
    /// <summary>On the node's loop, inside the call that offers the vote: deterministic, for the simulation and tests.</summary>
    Inline,

    /// <summary>In batches on worker threads (one per core); results are posted back to the node's loop.</summary>
    Threaded,
}
