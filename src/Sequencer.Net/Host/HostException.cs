namespace Sequencer.Net.Host;

/// <summary>
/// A failed host operation, or the reason a connection ended (<see cref="PeerConnection.CloseReason"/>). The inner
/// exception, when there is one, is the layer's own typed error (a <c>TransportException</c>,
/// <c>NoiseHandshakeException</c>, <c>MultistreamException</c>, <c>YamuxException</c>, <c>PubSubProtocolException</c>).
/// </summary>
public sealed class HostException(HostError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public HostError Error { get; } = error;
}
