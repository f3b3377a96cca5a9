namespace Sequencer.Net.Streams;

/// <summary>Why a request produced no response.</summary>
public enum RequestError
{
    /// <summary>No response within the request's timeout (dialling, negotiating and waiting included).</summary>
    Timeout,

    /// <summary>The peer could not be reached: no address, the dial or upgrade failed, or the connection broke.</summary>
    Unreachable,

    /// <summary>The peer does not speak the protocol (it answered <c>na</c>).</summary>
    ProtocolNotSupported,

    /// <summary>The peer reset the stream or closed it without a response (its handler refused, failed or ran out of time).</summary>
    Refused,

    /// <summary>The response's length prefix is not a minimal varint, or the stream ended inside the frame.</summary>
    MalformedResponse,

    /// <summary>The response announces more than <see cref="RequestOptions.MaxResponseSize"/> bytes.</summary>
    ResponseTooLarge,
}
