using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;

namespace Sequencer.Net.Host;

/// <summary>What the host knows of a peer: addresses (given to it, or the peer's own listen addresses from identify) and what identify said.</summary>
public sealed record PeerInfo(
    PeerId Peer,
    IReadOnlyList<Multiaddr> Addresses,
    IReadOnlyList<string> Protocols,
    string? AgentVersion,
    string? ProtocolVersion,
    Multiaddr? ObservedAddress)
{
    public bool Supports(string protocol)
    {
        foreach (var candidate in Protocols)
        {
            if (string.Equals(candidate, protocol, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
