namespace Sequencer.Core.Committee;

/// <summary>A validator that may be drawn into a committee, with its directory index and voting weight.</summary>
public readonly record struct WeightedCandidate(int ValidatorIndex, ulong Weight);
