namespace Sequencer.Core.Safety;

/// <summary>
/// A vote's decision and an attestation's value (the design's ±1), with the same byte values as on the wire, where
/// they are also stored. Zero is deliberately not a value: a zeroed buffer never reads as a decision.
/// </summary>
public enum Decision : byte
{
    Accept = 1,
    Reject = 2,
}
