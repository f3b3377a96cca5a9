using System.Collections.Immutable;
using Sequencer.Core.Identity;
using Sequencer.Core.Validators;
using Sequencer.Net.Addressing;

namespace Sequencer.Net.Consensus;

/// <summary>
/// One directory epoch seen from the transport: directory index ↔ libp2p peer id, and each validator's dialable
/// addresses (the directory's multiaddrs with <c>/p2p/&lt;id&gt;</c>, so a dial proves the identity). Immutable, so the
/// network threads that map authenticated senders read it without a lock.
/// </summary>
/// <remarks>
/// Senders are never self-declared: a request's sender is the peer its Noise handshake proved, a topic message's the
/// peer whose key signed it (StrictSign), and either becomes an index only through this map. A peer id that is not a
/// validator of the epoch maps to -1, which the engine treats as "not a validator".
/// </remarks>
public sealed class ValidatorPeerMap
{
    private readonly ImmutableArray<ImmutableArray<Multiaddr>> _addresses;

    public ValidatorPeerMap(ValidatorDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory = directory;
        var addresses = ImmutableArray.CreateBuilder<ImmutableArray<Multiaddr>>(directory.Count);
        foreach (var validator in directory.Validators)
        {
            var dialable = ImmutableArray.CreateBuilder<Multiaddr>(validator.Addresses.Length);
            foreach (var text in validator.Addresses)
            {
                // The directory file's parser checked every address; one this transport cannot dial is skipped here
                // rather than failing the epoch: the validator is then reachable only when it dials us.
                if (Multiaddr.TryParse(text, out var address))
                    dialable.Add(address.WithoutPeerId().WithPeerId(validator.PeerId));
            }
            addresses.Add(dialable.ToImmutable());
        }
        _addresses = addresses.MoveToImmutable();
    }

    public ValidatorDirectory Directory { get; }

    public int Count => Directory.Count;

    /// <summary>The directory index of <paramref name="peer"/>, or -1 when it is not a validator of this epoch.</summary>
    public int IndexOf(PeerId peer) => Directory.TryGetByPeerId(peer, out var validator) ? validator.Index : -1;

    /// <summary>The peer id of validator <paramref name="index"/>; false when there is no such index.</summary>
    public bool TryGetPeer(int index, out PeerId peer)
    {
        if ((uint)index < (uint)Directory.Count)
        {
            peer = Directory[index].PeerId;
            return true;
        }
        peer = default;
        return false;
    }

    /// <summary>Validator <paramref name="index"/>'s addresses with its <c>/p2p</c> id (empty for an unknown index).</summary>
    public ImmutableArray<Multiaddr> AddressesOf(int index) =>
        (uint)index < (uint)_addresses.Length ? _addresses[index] : [];
}
