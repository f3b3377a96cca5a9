namespace Sequencer.Net.Noise;

/// <summary>
/// A Noise handshake that did not produce a secure channel. When it is thrown the connection's pipes have already
/// been completed with it: the transport closes the connection (a TCP connection resets).
/// </summary>
public sealed class NoiseHandshakeException(NoiseError error, string message, Exception? innerException = null)
    : NoiseException(error, message, innerException);
