using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Validators;
using Sequencer.Net.Consensus;

namespace Sequencer.Net.Tests.Consensus;

public sealed class ValidatorPeerMapTests
{
    [Fact]
    public void Indices_and_peer_ids_map_both_ways_and_strangers_map_to_minus_one()
    {
        var nodeKeys = Enumerable.Range(0, 3).Select(_ => PeerPrivateKey.Generate(KeyType.Ed25519)).ToArray();
        var specs = nodeKeys.Select((key, i) => new ValidatorSpec(key.PublicKey.ToPeerId(), Secp256k1PrivateKey.Generate().PublicKey, 1, "r",
            [$"/ip4/127.0.0.1/tcp/{4000 + i}", $"/dns4/validator{i}.example/tcp/4001"])).ToArray();
        var directory = ValidatorDirectory.Create(1, 0, specs);
        var map = new ValidatorPeerMap(directory);

        for (var i = 0; i < directory.Count; i++)
        {
            Assert.True(map.TryGetPeer(i, out var peer));
            Assert.Equal(directory[i].PeerId, peer);
            Assert.Equal(i, map.IndexOf(peer));
            var addresses = map.AddressesOf(i);
            Assert.Equal(2, addresses.Length);
            Assert.All(addresses, address =>
            {
                Assert.True(address.TryGetPeerId(out var named));
                Assert.Equal(peer, named);
            });
        }
        using var stranger = PeerPrivateKey.Generate(KeyType.Ed25519);
        Assert.Equal(-1, map.IndexOf(stranger.PublicKey.ToPeerId()));
        Assert.False(map.TryGetPeer(-1, out _));
        Assert.False(map.TryGetPeer(directory.Count, out _));
        Assert.Empty(map.AddressesOf(directory.Count));
        foreach (var key in nodeKeys)
            key.Dispose();
    }
}
