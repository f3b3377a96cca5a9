using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;

namespace Sequencer.Fuzz;

/// <summary>Deterministic identity keys for the identity targets' seeds: one of each supported type.</summary>
internal static class IdentitySamples
{
    public static PeerPrivateKey Ed25519()
    {
        var seed = new byte[Ed25519PrivateKey.SeedSize];
        seed.AsSpan().Fill(0x11);
        return new Ed25519PeerPrivateKey(Ed25519PrivateKey.FromSeed(seed));
    }

    /// <summary>A secp256k1 key whose first byte is at least 0x80, the case some implementations mishandle as negative.</summary>
    public static PeerPrivateKey Secp256k1()
    {
        var secret = new byte[Secp256k1PrivateKey.Size];
        secret.AsSpan().Fill(0x22);
        secret[0] = 0x9C;
        return new Secp256k1PeerPrivateKey(Secp256k1PrivateKey.FromBytes(secret));
    }
}
