namespace Sequencer.Net.PubSub;

/// <summary>
/// The router's view of the transport towards one peer: the host binds it to the outbound meshsub stream (a yamux
/// stream), tests to an in-memory queue. Calls come from the router while it holds its lock, so an implementation
/// must only queue (never block, never call back into the router).
/// </summary>
public interface IPubSubPeerLink
{
    /// <summary>
    /// Queues one frame (<c>uvarint(length) ‖ RPC</c>) for the peer; the bytes are only valid during the call.
    /// False when the peer's queue is full or closed: the frame is dropped, as gossipsub prefers losing a message to
    /// a slow peer (gossip repairs it) over stalling everyone else.
    /// </summary>
    bool TrySend(ReadOnlySpan<byte> frame);

    /// <summary>The router gave up on this peer (it broke the protocol); close its pubsub streams.</summary>
    void Close(Exception reason);
}
