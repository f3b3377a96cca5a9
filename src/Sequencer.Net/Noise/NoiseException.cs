namespace Sequencer.Net.Noise;

/// <summary>
/// A failure of a Noise secure channel: a frame that did not authenticate, a truncated frame, an exhausted nonce. It
/// surfaces on the channel's pipes (and faults <see cref="NoiseSecureChannel.Completion"/>); the connection is closed.
/// An <see cref="IOException"/>, so code that handles a failing connection handles it too.
/// </summary>
public class NoiseException(NoiseError error, string message, Exception? innerException = null)
    : IOException(message, innerException)
{
    public NoiseError Error { get; } = error;
}
