namespace Sequencer.Core.Safety;

/// <summary>
/// A write to durable safety state (the safety store or the decision log) failed earlier, so this process no longer
/// knows what the disk holds; it must not go on until the state is reopened (in practice: the node restarts). An
/// <see cref="IOException"/>, so callers handle it together with the failure that caused it.
/// </summary>
public sealed class SafetyStateFaultedException(string message, Exception cause) : IOException(message, cause);
