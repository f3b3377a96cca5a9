namespace Sequencer.Core.Safety;

/// <summary>
/// A save failed earlier, so this process no longer knows what is on disk; it must not sign anything until the
/// store is reopened (in practice: the node restarts). An <see cref="IOException"/> so callers handle it with the
/// failure that caused it.
/// </summary>
public sealed class SafetyStoreFaultedException(string message, Exception cause) : IOException(message, cause);
