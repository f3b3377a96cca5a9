namespace Sequencer.Net.Ping;

/// <summary>Why a ping failed.</summary>
public enum PingError
{
    /// <summary>The peer answered with bytes other than the 32 it was sent.</summary>
    Mismatch,

    /// <summary>The stream ended before the 32-byte answer arrived.</summary>
    StreamClosed,

    /// <summary>No answer within the timeout (js-libp2p aborts a connection whose ping goes unanswered ~5 s).</summary>
    Timeout,
}
