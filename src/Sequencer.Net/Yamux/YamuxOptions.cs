namespace Sequencer.Net.Yamux;

/// <summary>Windows, buffers and limits of a yamux session.</summary>
public sealed class YamuxOptions
{
    /// <summary>The window every stream starts with, by the spec; both sides assume it before any update.</summary>
    public const int InitialStreamWindow = 256 * 1024;

    public static YamuxOptions Default { get; } = new();

    /// <summary>
    /// Receive window per stream: the most the peer may send ahead of this side's reader. At least 256 KiB; a larger
    /// value is granted to the peer with the stream's SYN or ACK. No data frame may be longer than this.
    /// </summary>
    public int StreamWindowSize { get; init; } = InitialStreamWindow;

    /// <summary>Largest data frame this side sends (longer writes are split, and streams take turns per frame).</summary>
    public int MaxDataFrameSize { get; init; } = 64 * 1024;

    /// <summary>Unsent bytes a stream's writer may buffer before its flush waits (for the peer's window, or the connection).</summary>
    public int StreamSendBufferSize { get; init; } = 64 * 1024;

    /// <summary>Streams the peer may have open at once; a SYN beyond it is answered with RST.</summary>
    public int MaxInboundStreams { get; init; } = 256;

    /// <summary>Streams this side may have open at once (which also bounds the unacknowledged ones, spec: 256).</summary>
    public int MaxOutboundStreams { get; init; } = 256;

    /// <summary>Inbound streams waiting for <see cref="YamuxSession.AcceptStreamAsync"/>; a SYN beyond it is answered with RST.</summary>
    public int AcceptBacklog { get; init; } = 256;

    /// <summary>Peer pings whose answers may wait to be sent; beyond it the peer is flooding and the session ends.</summary>
    public int MaxPendingPings { get; init; } = 64;

    /// <summary>Interval of keep-alive pings; the session ends when one is unanswered at the next. Infinite: none.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long disposing may wait for the GoAway and buffered frames to be flushed to the connection.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(StreamWindowSize, InitialStreamWindow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDataFrameSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StreamSendBufferSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxInboundStreams);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOutboundStreams);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(AcceptBacklog);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPendingPings);
        if (KeepAliveInterval <= TimeSpan.Zero && KeepAliveInterval != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), KeepAliveInterval, "must be positive or infinite");
        if (CloseTimeout < TimeSpan.Zero && CloseTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(CloseTimeout), CloseTimeout, "must not be negative");
    }
}
