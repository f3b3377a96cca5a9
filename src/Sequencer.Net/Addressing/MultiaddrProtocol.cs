namespace Sequencer.Net.Addressing;

/// <summary>
/// The multiaddr protocols this node understands, valued by their multicodec code (multiformats/multiaddr
/// protocols.csv). A component of any other protocol is a typed <see cref="MultiaddrError.UnknownProtocol"/>.
/// </summary>
public enum MultiaddrProtocol
{
    Ip4 = 4,
    Tcp = 6,
    Ip6 = 41,
    Dns = 53,
    Dns4 = 54,
    Dns6 = 55,
    DnsAddr = 56,

    /// <summary>A peer id (multihash); text name <c>p2p</c>, with <c>ipfs</c> accepted as its old alias.</summary>
    P2p = 421,
}
