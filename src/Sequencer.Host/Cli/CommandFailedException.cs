namespace Sequencer.Host.Cli;

/// <summary>A command refused its input or could not complete; the message is written for the operator.</summary>
internal sealed class CommandFailedException(string message, Exception? inner = null) : Exception(message, inner);
