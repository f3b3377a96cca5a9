namespace Sequencer.Net.Multistream;

/// <summary>Bounds of one multistream-select negotiation.</summary>
public sealed class MultistreamOptions
{
    public static MultistreamOptions Default { get; } = new();

    /// <summary>Deadline for the whole negotiation (Timeout.InfiniteTimeSpan for none).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest accepted message, newline included. Protocol ids are short; js-libp2p refuses ids over 1024 bytes.
    /// </summary>
    public int MaxMessageLength { get; init; } = 1024;

    /// <summary>Refused proposals a listener tolerates before giving up on the dialer.</summary>
    public int MaxProposals { get; init; } = 16;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
