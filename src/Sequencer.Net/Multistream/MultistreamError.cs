namespace Sequencer.Net.Multistream;

/// <summary>Why a multistream-select negotiation failed.</summary>
public enum MultistreamError
{
    /// <summary>The peer's first message was not <c>/multistream/1.0.0</c>.</summary>
    InvalidHeader,

    /// <summary>A message announced a length above <see cref="MultistreamOptions.MaxMessageLength"/>.</summary>
    MessageTooLong,

    /// <summary>A message with an invalid length varint, no trailing newline, or a body that is not UTF-8.</summary>
    MalformedMessage,

    /// <summary>The listener answered a proposal with something other than its echo or <c>na</c>.</summary>
    UnexpectedResponse,

    /// <summary>The listener answered <c>na</c> to every proposal.</summary>
    NoProtocolAgreed,

    /// <summary>The dialer kept proposing after <see cref="MultistreamOptions.MaxProposals"/> refusals.</summary>
    TooManyProposals,

    /// <summary>The negotiation did not finish within <see cref="MultistreamOptions.Timeout"/>.</summary>
    Timeout,

    /// <summary>The peer closed the connection or stream before the negotiation finished.</summary>
    ConnectionClosed,
}
