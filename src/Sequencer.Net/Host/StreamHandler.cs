namespace Sequencer.Net.Host;

/// <summary>
/// Serves one inbound stream of a registered protocol. The stream is closed (or reset, if the handler throws) when the
/// returned task completes; <paramref name="cancellationToken"/> is cancelled when the connection or the host closes.
/// </summary>
public delegate Task StreamHandler(ProtocolStream stream, CancellationToken cancellationToken);
