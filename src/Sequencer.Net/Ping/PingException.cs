namespace Sequencer.Net.Ping;

/// <summary>A ping that got no valid answer.</summary>
public sealed class PingException(PingError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public PingError Error { get; } = error;
}
