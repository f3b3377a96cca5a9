using Sequencer.Core.Identity;
using Sequencer.Core.Ports;

namespace Sequencer.Net.Streams;

/// <summary>A request that produced no response; <see cref="Error"/> says why, <see cref="Failure"/> in the engine's terms.</summary>
public sealed class RequestException(RequestError error, PeerId peer, string protocol, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public RequestError Error { get; } = error;

    public PeerId Peer { get; } = peer;

    public string Protocol { get; } = protocol;

    /// <summary>The engine's <see cref="RequestFailure"/> for this error (each lets the caller fail over to another peer).</summary>
    public RequestFailure Failure => Error switch
    {
        RequestError.Timeout => RequestFailure.TimedOut,
        RequestError.Unreachable => RequestFailure.Unreachable,
        RequestError.ProtocolNotSupported or RequestError.Refused => RequestFailure.Refused,
        _ => RequestFailure.MalformedResponse,
    };
}
