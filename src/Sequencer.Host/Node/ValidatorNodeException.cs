namespace Sequencer.Host.Node;

/// <summary>A validator node cannot start: a key, the directory, the data directory or a listen address is unusable (the message says which and why).</summary>
internal sealed class ValidatorNodeException(string message, Exception? innerException = null) : Exception(message, innerException);
