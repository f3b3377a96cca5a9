namespace Sequencer.Net.Identify;

/// <summary>An identify exchange that failed: the peer's answer was missing, late, too large or malformed.</summary>
public sealed class IdentifyException(IdentifyError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public IdentifyError Error { get; } = error;
}
