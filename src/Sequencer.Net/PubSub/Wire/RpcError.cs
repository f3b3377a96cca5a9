namespace Sequencer.Net.PubSub.Wire;

/// <summary>Why an RPC frame from a peer could not be read. Any of these closes that peer's pubsub stream.</summary>
public enum RpcError
{
    None,
    /// <summary>The length prefix announces more than the configured maximum RPC size.</summary>
    FrameTooLarge,
    /// <summary>The length prefix is not a minimal unsigned varint of at most 9 bytes.</summary>
    MalformedLengthPrefix,
    /// <summary>The stream ended inside a frame.</summary>
    TruncatedFrame,
    /// <summary>A protobuf field runs past the end of the RPC or of its enclosing message.</summary>
    Truncated,
    /// <summary>A varint longer than 10 bytes or beyond 64 bits.</summary>
    MalformedVarint,
    /// <summary>A field number of 0 or a group / reserved wire type.</summary>
    InvalidTag,
    /// <summary>A known field arrives with a wire type other than the schema's.</summary>
    WrongWireType,
    /// <summary>A length-delimited field claims more bytes than its enclosing message holds.</summary>
    LengthOutOfRange,
}
