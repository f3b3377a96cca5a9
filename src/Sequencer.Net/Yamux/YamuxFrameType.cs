namespace Sequencer.Net.Yamux;

/// <summary>The type byte of a yamux frame header.</summary>
public enum YamuxFrameType : byte
{
    /// <summary>Stream data; the header's length is the payload length.</summary>
    Data = 0,

    /// <summary>A grant of receive window to the peer; the header's length is the delta.</summary>
    WindowUpdate = 1,

    /// <summary>Session ping (stream 0); the header's length is an opaque value echoed back.</summary>
    Ping = 2,

    /// <summary>Session termination (stream 0); the header's length is a <see cref="YamuxGoAwayCode"/>.</summary>
    GoAway = 3,
}
