namespace Sequencer.Net.Yamux;

/// <summary>One entry of a session's send queue: a stream with something to send, or a session-level frame.</summary>
internal readonly record struct YamuxOutbound(YamuxOutboundKind Kind, YamuxStream? Stream, uint Value)
{
    public static YamuxOutbound ForStream(YamuxStream stream) => new(YamuxOutboundKind.Stream, stream, 0);
}

internal enum YamuxOutboundKind : byte
{
    /// <summary>Service the stream: reset, SYN/ACK, window credit, data, FIN — whatever it has pending.</summary>
    Stream,

    /// <summary>PING with SYN; <c>Value</c> is the opaque value.</summary>
    PingRequest,

    /// <summary>PING with ACK echoing the peer's opaque <c>Value</c>.</summary>
    PingResponse,

    /// <summary>GoAway; <c>Value</c> is the code.</summary>
    GoAway,

    /// <summary>RST for stream <c>Value</c>, which this side refused and never created.</summary>
    RefuseStream,
}
