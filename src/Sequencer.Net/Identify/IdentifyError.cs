namespace Sequencer.Net.Identify;

/// <summary>Why an identify message could not be read.</summary>
public enum IdentifyError
{
    None,

    /// <summary>The stream ended before a complete message (length prefix and body) arrived.</summary>
    StreamClosed,

    /// <summary>The length prefix announces more than the allowed message size (js-libp2p's limit: 8 KiB).</summary>
    MessageTooLarge,

    /// <summary>The length prefix is not a minimal unsigned varint.</summary>
    InvalidLengthPrefix,

    /// <summary>The body is not a well-formed protobuf, or a field has the wrong wire type.</summary>
    MalformedProtobuf,

    /// <summary>A string field (protocolVersion, agentVersion, a protocol id) is not UTF-8.</summary>
    InvalidString,

    /// <summary>No complete message arrived within the timeout.</summary>
    Timeout,
}
