namespace Sequencer.Core.Consensus;

/// <summary>The consensus configuration breaks a rule; <see cref="Error"/> names the key and the bad value.</summary>
public sealed class ConsensusOptionsException(ConsensusOptionsError error)
    : Exception($"invalid consensus configuration: {error}")
{
    public ConsensusOptionsError Error { get; } = error;
}
