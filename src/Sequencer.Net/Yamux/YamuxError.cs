namespace Sequencer.Net.Yamux;

/// <summary>What ended a yamux session or stream, or why an operation was refused.</summary>
public enum YamuxError
{
    // Protocol violations by the peer: the session ends and sends GoAway(ProtocolError).

    /// <summary>A frame header whose version byte is not 0.</summary>
    InvalidVersion,

    /// <summary>A frame header whose type byte is not 0–3.</summary>
    UnknownFrameType,

    /// <summary>A ping carrying neither SYN nor ACK.</summary>
    InvalidFlags,

    /// <summary>
    /// A stream id used wrongly: data or window update on stream 0, ping or GoAway on another stream, a stream opened
    /// with the wrong parity or an id below the peer's previous one, a frame for a stream never opened.
    /// </summary>
    InvalidStreamId,

    /// <summary>SYN for a stream that is already open.</summary>
    DuplicateStream,

    /// <summary>A data frame longer than the stream's remaining receive window.</summary>
    ReceiveWindowExceeded,

    /// <summary>A data frame longer than the largest window this session ever grants.</summary>
    FrameTooLarge,

    /// <summary>Window updates that push a stream's send window past 2^32 − 1.</summary>
    SendWindowOverflow,

    /// <summary>Data on a stream after the peer half-closed it.</summary>
    DataAfterFin,

    /// <summary>The peer sent more pings than <see cref="YamuxOptions.MaxPendingPings"/> without reading the answers.</summary>
    TooManyPendingPings,

    // The session ended for another reason.

    /// <summary>The peer did not answer a keep-alive ping within one keep-alive interval.</summary>
    KeepAliveTimeout,

    /// <summary>The peer sent GoAway with an error code (see <see cref="YamuxException.RemoteGoAwayCode"/>).</summary>
    RemoteGoAway,

    /// <summary>The underlying connection ended: mid-frame for a session error, or under an open stream.</summary>
    ConnectionClosed,

    /// <summary>The underlying connection failed; the inner exception has the details.</summary>
    ConnectionError,

    /// <summary>The session was closed (disposed, or ended by one of the errors above) under this operation.</summary>
    SessionClosed,

    // Stream-level.

    /// <summary>The stream was reset (RST), by the peer or locally.</summary>
    StreamReset,

    /// <summary>Opening a stream would exceed <see cref="YamuxOptions.MaxOutboundStreams"/>.</summary>
    StreamLimitReached,

    /// <summary>All 2^31 stream ids of this side are used up.</summary>
    StreamIdsExhausted,

    /// <summary>The peer sent GoAway, or this side did: no new streams may be opened.</summary>
    GoingAway,
}
