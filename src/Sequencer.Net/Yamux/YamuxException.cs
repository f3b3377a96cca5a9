namespace Sequencer.Net.Yamux;

/// <summary>
/// A yamux failure: thrown by session operations, faulting <see cref="YamuxSession.Completion"/>, and surfacing on a
/// stream's pipes when the stream is reset or its session ends.
/// </summary>
public sealed class YamuxException(YamuxError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public YamuxError Error { get; } = error;

    /// <summary>The code of the peer's GoAway when <see cref="Error"/> is <see cref="YamuxError.RemoteGoAway"/>.</summary>
    public YamuxGoAwayCode? RemoteGoAwayCode { get; init; }

    /// <summary>True for errors that are the peer breaking the protocol (answered with GoAway(ProtocolError)).</summary>
    public bool IsProtocolViolation => Error is YamuxError.InvalidVersion or YamuxError.UnknownFrameType or YamuxError.InvalidFlags
        or YamuxError.InvalidStreamId or YamuxError.DuplicateStream or YamuxError.ReceiveWindowExceeded or YamuxError.FrameTooLarge
        or YamuxError.SendWindowOverflow or YamuxError.DataAfterFin or YamuxError.TooManyPendingPings;
}
