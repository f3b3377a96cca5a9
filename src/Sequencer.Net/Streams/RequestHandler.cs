namespace Sequencer.Net.Streams;

/// <summary>
/// Receives each inbound request of a protocol, on a network thread: it should hand the request on quickly (for
/// instance to the node's loop) and answer it later with <see cref="InboundRequest.TryRespond"/> or
/// <see cref="InboundRequest.Refuse"/>. A request not answered within <see cref="RequestOptions.InboundTimeout"/> is
/// reset. A handler that throws refuses the request.
/// </summary>
public delegate void RequestHandler(InboundRequest request);
