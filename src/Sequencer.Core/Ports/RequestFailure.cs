namespace Sequencer.Core.Ports;

/// <summary>Why an outbound request produced no response; every one of them lets a caller fail over to the next peer.</summary>
public enum RequestFailure
{
    /// <summary>No response within the request's timeout.</summary>
    TimedOut = 1,

    /// <summary>No connection could be made, or it broke before the response.</summary>
    Unreachable = 2,

    /// <summary>The peer does not speak the protocol, or closed the stream without answering.</summary>
    Refused = 3,

    /// <summary>The response was not one well-formed frame.</summary>
    MalformedResponse = 4,
}
