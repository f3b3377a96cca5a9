namespace Sequencer.Net.Transport;

/// <summary>
/// Limits and buffer sizes of the TCP transport. Each connection buffers at most about
/// <see cref="InputPauseThreshold"/> unread received bytes (then stops reading the socket, so TCP's own flow control
/// slows the sender) and <see cref="OutputPauseThreshold"/> unsent bytes (then the application's flush waits).
/// </summary>
public sealed class TcpTransportOptions
{
    /// <summary>Inbound connections open at once; a connection accepted beyond it is closed at once (reset).</summary>
    public int MaxInboundConnections { get; init; } = 256;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a graceful close may wait for unsent data to drain before the connection is aborted.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public int ListenBacklog { get; init; } = 512;

    public long InputPauseThreshold { get; init; } = 1 << 20;

    public long InputResumeThreshold { get; init; } = 1 << 19;

    public long OutputPauseThreshold { get; init; } = 1 << 20;

    public long OutputResumeThreshold { get; init; } = 1 << 19;

    /// <summary>The most one socket receive reads: with the pause threshold, what bounds a slow reader's buffered input.</summary>
    public int ReceiveBufferSize { get; init; } = 16 * 1024;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxInboundConnections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ListenBacklog);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ReceiveBufferSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(InputPauseThreshold, ReceiveBufferSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(InputResumeThreshold, InputPauseThreshold);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OutputPauseThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(OutputResumeThreshold, OutputPauseThreshold);
        if (ConnectTimeout <= TimeSpan.Zero && ConnectTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "must be positive or infinite");
        if (CloseTimeout < TimeSpan.Zero && CloseTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(CloseTimeout), CloseTimeout, "must not be negative");
    }
}
