using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;

namespace Sequencer.Net.Tests.Noise;

/// <summary>Identity keys for the tests: the deterministic ones of the interop capture, and fresh ones.</summary>
internal static class TestIdentities
{
    /// <summary>secp256k1 scalar 0x11 × 32: peer 16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3 (the capture's listener A).</summary>
    public static PeerPrivateKey Secp256k1Fixed() =>
        new Secp256k1PeerPrivateKey(Secp256k1PrivateKey.FromBytes(Enumerable.Repeat((byte)0x11, 32).ToArray()));

    /// <summary>Ed25519 seed 0x22 × 32: peer 12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns (the capture's dialer B).</summary>
    public static PeerPrivateKey Ed25519Fixed() =>
        new Ed25519PeerPrivateKey(Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)0x22, 32).ToArray()));

    public static PeerPrivateKey Generate(KeyType type) => PeerPrivateKey.Generate(type);
}
