namespace Sequencer.Net.Addressing;

/// <summary>Why a multiaddr (text or binary) was refused.</summary>
public enum MultiaddrError
{
    None,

    /// <summary>No component at all (an empty string, "/", or zero bytes).</summary>
    Empty,

    /// <summary>Longer than <see cref="Multiaddr.MaxTextLength"/> characters or <see cref="Multiaddr.MaxEncodedLength"/> bytes.</summary>
    TooLong,

    /// <summary>Text that does not start with '/'.</summary>
    MissingLeadingSlash,

    /// <summary>Text with an empty protocol name ("//").</summary>
    EmptyComponent,

    /// <summary>A protocol name or code this node does not know.</summary>
    UnknownProtocol,

    /// <summary>A protocol that needs a value appears last without one.</summary>
    MissingValue,

    InvalidIp4,
    InvalidIp6,
    InvalidPort,

    /// <summary>A dns name that is empty, too long, not UTF-8, or contains '/'.</summary>
    InvalidDnsName,

    /// <summary>A /p2p value that is not a peer id (see <see cref="Sequencer.Core.Identity.PeerId"/>).</summary>
    InvalidPeerId,

    /// <summary>Binary input that ends inside a component.</summary>
    Truncated,

    /// <summary>Binary input whose protocol code or length is not a minimal unsigned varint.</summary>
    InvalidVarint,
}
