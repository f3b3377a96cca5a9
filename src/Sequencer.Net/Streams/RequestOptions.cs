using Sequencer.Core.Wire;

namespace Sequencer.Net.Streams;

/// <summary>Bounds of the direct request/response streams.</summary>
public sealed record RequestOptions
{
    public static RequestOptions Default { get; } = new();

    /// <summary>Largest request payload sent or accepted (the frame's length prefix excluded).</summary>
    public int MaxRequestSize { get; init; } = WireFrame.DefaultMaxPayloadLength;

    /// <summary>Largest response payload sent or accepted.</summary>
    public int MaxResponseSize { get; init; } = WireFrame.DefaultMaxPayloadLength;

    /// <summary>
    /// Inbound side: how long the requester has to deliver its request frame, and then the handler to answer it
    /// (each); past it the stream is reset and the requester sees a failure.
    /// </summary>
    public TimeSpan InboundTimeout { get; init; } = TimeSpan.FromSeconds(20);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRequestSize);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxResponseSize);
        if (InboundTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(InboundTimeout), InboundTimeout, "must be positive");
    }
}
