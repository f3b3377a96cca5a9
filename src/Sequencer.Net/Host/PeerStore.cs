using System.Collections.Concurrent;
using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;
using Sequencer.Net.Identify;

namespace Sequencer.Net.Host;

/// <summary>
/// A small, bounded store of what the host knows of peers: addresses to dial them by, and their last identify answer
/// (protocols, listen addresses, agent). Entries are immutable <see cref="PeerInfo"/> records replaced whole, so
/// readers never see a half-updated peer. At most <see cref="MaxAddressesPerPeer"/> addresses are kept per peer, and
/// identify answers of new peers are not stored beyond the host's peer limit (addresses given explicitly always are).
/// </summary>
public sealed class PeerStore
{
    public const int MaxAddressesPerPeer = 16;

    private readonly ConcurrentDictionary<PeerId, PeerInfo> _peers = new();
    private readonly int _maxPeers;

    internal PeerStore(int maxPeers) => _maxPeers = maxPeers;

    public int Count => _peers.Count;

    public bool TryGet(PeerId peer, out PeerInfo? info) => _peers.TryGetValue(peer, out info);

    /// <summary>Known addresses of <paramref name="peer"/> (without <c>/p2p</c>), newest first.</summary>
    public IReadOnlyList<Multiaddr> GetAddresses(PeerId peer) => _peers.TryGetValue(peer, out var info) ? info.Addresses : [];

    /// <summary>The protocols the peer listed in its last identify answer (empty if it has not identified).</summary>
    public IReadOnlyList<string> GetProtocols(PeerId peer) => _peers.TryGetValue(peer, out var info) ? info.Protocols : [];

    /// <summary>Adds addresses to dial <paramref name="peer"/> by (a <c>/p2p</c> suffix is removed; one naming another peer is refused).</summary>
    public void AddAddresses(PeerId peer, IEnumerable<Multiaddr> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var added = new List<Multiaddr>();
        foreach (var address in addresses)
        {
            ArgumentNullException.ThrowIfNull(address);
            if (address.TryGetPeerId(out var named) && named != peer)
                throw new ArgumentException($"{address} names peer {named}, not {peer}", nameof(addresses));
            added.Add(address.WithoutPeerId());
        }
        _peers.AddOrUpdate(peer,
            static (id, added) => new PeerInfo(id, Merge([], added), [], null, null, null),
            static (_, existing, added) => existing with { Addresses = Merge(existing.Addresses, added) },
            added);
    }

    internal void RecordIdentify(PeerId peer, IdentifyMessage message)
    {
        if (!_peers.ContainsKey(peer) && _peers.Count >= _maxPeers)
            return;
        var listen = new List<Multiaddr>(message.ListenAddresses.Count);
        foreach (var address in message.ListenAddresses)
        {
            // A listen address naming another peer is a lie or a relay we do not speak: skip it.
            if (!address.TryGetPeerId(out var named) || named == peer)
                listen.Add(address.WithoutPeerId());
        }
        var protocols = message.Protocols.ToArray();
        _peers.AddOrUpdate(peer,
            static (id, state) => new PeerInfo(id, Merge([], state.listen), state.protocols, state.message.AgentVersion,
                state.message.ProtocolVersion, state.message.ObservedAddress),
            static (_, existing, state) => existing with
            {
                Addresses = Merge(existing.Addresses, state.listen),
                Protocols = state.protocols,
                AgentVersion = state.message.AgentVersion ?? existing.AgentVersion,
                ProtocolVersion = state.message.ProtocolVersion ?? existing.ProtocolVersion,
                ObservedAddress = state.message.ObservedAddress ?? existing.ObservedAddress,
            },
            (listen, protocols, message));
    }

    /// <summary>Forgets what identify said (protocols) once the peer disconnects; its addresses stay for redialling.</summary>
    internal void OnDisconnected(PeerId peer)
    {
        if (_peers.TryGetValue(peer, out var info) && info.Protocols.Count > 0)
            _peers.TryUpdate(peer, info with { Protocols = [] }, info);
    }

    private static Multiaddr[] Merge(IReadOnlyList<Multiaddr> existing, List<Multiaddr> added)
    {
        var merged = new List<Multiaddr>(Math.Min(existing.Count + added.Count, MaxAddressesPerPeer));
        foreach (var address in added)
        {
            if (merged.Count < MaxAddressesPerPeer && !merged.Contains(address))
                merged.Add(address);
        }
        foreach (var address in existing)
        {
            if (merged.Count < MaxAddressesPerPeer && !merged.Contains(address))
                merged.Add(address);
        }
        return [.. merged];
    }
}
