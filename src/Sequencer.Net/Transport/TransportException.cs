namespace Sequencer.Net.Transport;

/// <summary>
/// A transport failure. Thrown by dial and listen, and surfaced by a connection's pipes: a read or flush on a
/// connection that was reset or aborted throws this.
/// </summary>
public sealed class TransportException(TransportError error, string message, Exception? innerException = null)
    : IOException(message, innerException)
{
    public TransportError Error { get; } = error;
}
