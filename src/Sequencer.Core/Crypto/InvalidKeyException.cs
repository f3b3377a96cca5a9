namespace Sequencer.Core.Crypto;

/// <summary>Key material that is not a valid key of its type (wrong length, out of range, not on the curve…).</summary>
public sealed class InvalidKeyException(string message) : Exception(message);
