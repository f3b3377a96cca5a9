namespace Sequencer.Net.Identify;

/// <summary>Bounds of an identify exchange.</summary>
public sealed class IdentifyOptions
{
    public static IdentifyOptions Default { get; } = new();

    /// <summary>The largest message read or written (js-libp2p refuses more than 8 KiB).</summary>
    public int MaxMessageSize { get; init; } = IdentifyProtocol.DefaultMaxMessageSize;

    /// <summary>How long the requester waits for the answer, and the responder for the requester to close.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 1, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageSize, 1 << 20, nameof(MaxMessageSize));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "the identify timeout must be positive or infinite");
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
