using Sequencer.Core.Ports;

namespace Sequencer.Core.Consensus;

/// <summary>An observer that listens to nothing (every method of <see cref="IConsensusObserver"/> has an empty default).</summary>
public sealed class NullConsensusObserver : IConsensusObserver
{
    public static NullConsensusObserver Instance { get; } = new();
}
