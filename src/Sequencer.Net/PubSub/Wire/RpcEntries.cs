namespace Sequencer.Net.PubSub.Wire;

// The decoded entries of one RPC, as offsets into its bytes (see RpcDecoder). Missing optional strings read as
// empty, as protobuf defines.

internal struct RpcSubscription
{
    public bool Subscribe;
    public ByteRange Topic;
}

internal struct RpcMessage
{
    /// <summary>The whole encoded Message: forwarded and cached verbatim.</summary>
    public ByteRange Encoded;
    /// <summary>Its fields, relative to the start of <see cref="Encoded"/>.</summary>
    public MessageLayout Layout;
}

internal struct RpcIHave
{
    public ByteRange Topic;
    /// <summary>The entry's ids are <c>IHaveIds[FirstId .. FirstId + IdCount]</c>.</summary>
    public int FirstId;
    public int IdCount;
}

internal struct RpcPrune
{
    public ByteRange Topic;
    public bool HasBackoff;
    /// <summary>Seconds, as the v1.1 field carries it.</summary>
    public ulong BackoffSeconds;
    public int FirstPeer;
    public int PeerCount;
}

internal struct RpcPeerInfo
{
    public ByteRange PeerId;
    public ByteRange SignedPeerRecord;
}
