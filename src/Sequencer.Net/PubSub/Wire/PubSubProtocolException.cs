namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// A peer broke the pubsub wire protocol (a malformed or oversized RPC frame). The router closes that peer's link
/// with this exception as the reason and goes on serving everyone else.
/// </summary>
public sealed class PubSubProtocolException : Exception
{
    public PubSubProtocolException(string peer, RpcError error, long offset, long frameLength)
        : base(Describe(peer, error, offset, frameLength))
    {
        Peer = peer;
        Error = error;
        Offset = offset;
        FrameLength = frameLength;
    }

    public string Peer { get; }

    public RpcError Error { get; }

    /// <summary>Where in the RPC the problem was found (0 for framing errors).</summary>
    public long Offset { get; }

    /// <summary>The RPC's length as announced by its prefix, when known (else -1).</summary>
    public long FrameLength { get; }

    private static string Describe(string peer, RpcError error, long offset, long frameLength) => error switch
    {
        RpcError.FrameTooLarge => $"pubsub peer {peer} sent an RPC of {frameLength} bytes, over the limit",
        RpcError.MalformedLengthPrefix => $"pubsub peer {peer} sent a malformed RPC length prefix",
        RpcError.TruncatedFrame => $"pubsub peer {peer} closed its stream inside an RPC frame",
        _ => $"pubsub peer {peer} sent a malformed RPC: {error} at byte {offset} of {frameLength}",
    };
}
