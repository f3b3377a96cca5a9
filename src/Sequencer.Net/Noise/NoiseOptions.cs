namespace Sequencer.Net.Noise;

/// <summary>Settings of <see cref="NoiseSecurity"/>: the muxers it offers, the handshake deadline, the channel's buffering.</summary>
public sealed class NoiseOptions
{
    public const string YamuxProtocolId = "/yamux/1.0.0";

    public static NoiseOptions Default { get; } = new();

    /// <summary>
    /// The muxers listed in <c>extensions.stream_muxers</c> of our handshake payload, in order of preference. When the
    /// peer lists one of them too, both sides start it right after the handshake, without multistream-select (js-libp2p
    /// does this). Empty: the muxer is negotiated with multistream-select inside the channel.
    /// </summary>
    public IReadOnlyList<string> StreamMuxers { get; init; } = [YamuxProtocolId];

    /// <summary>The whole handshake (three messages) must finish within this; infinite disables the deadline.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Decrypted bytes the application has not read, and plaintext it has written but the connection has not taken, at
    /// which the channel stops reading the connection or pauses the application's flushes (each direction separately).
    /// </summary>
    public int ChannelPauseThreshold { get; init; } = 256 * 1024;

    /// <summary>
    /// How long disposing a channel waits for what was written to leave before resetting the connection (a peer that
    /// stopped reading would otherwise hold it open).
    /// </summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(StreamMuxers);
        if (StreamMuxers.Count > NoiseHandshakePayload.MaxStreamMuxers)
            throw new ArgumentException($"at most {NoiseHandshakePayload.MaxStreamMuxers} stream muxers can be offered, not {StreamMuxers.Count}");
        foreach (var muxer in StreamMuxers)
            ArgumentException.ThrowIfNullOrEmpty(muxer);
        if (HandshakeTimeout <= TimeSpan.Zero && HandshakeTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "the handshake timeout must be positive or infinite");
        ArgumentOutOfRangeException.ThrowIfLessThan(ChannelPauseThreshold, 1, nameof(ChannelPauseThreshold));
        if (CloseTimeout < TimeSpan.Zero && CloseTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(CloseTimeout), CloseTimeout, "the close timeout must not be negative, or be infinite");
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
