namespace Sequencer.Core.Wire;

/// <summary>
/// A voter's decision on a block, and the value a buddy attests or a certificate carries (the design's ±1).
/// Zero is deliberately not a value: a zeroed buffer or a missed assignment never reads as a decision.
/// </summary>
public enum Decision : byte
{
    Accept = 1,
    Reject = 2,
}

public static class DecisionExtensions
{
    public static bool IsDefined(this Decision decision) => decision is Decision.Accept or Decision.Reject;
}
