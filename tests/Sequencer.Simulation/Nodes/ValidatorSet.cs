using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Validators;

namespace Sequencer.Simulation.Nodes;

/// <summary>
/// The validators of a simulated network: one <see cref="Secp256k1PrivateKey"/> per validator, drawn from the run's
/// seeded <see cref="Random"/> (so the keys, and every signature, replay from the seed), and the directory that lists
/// them with their weights. The libp2p peer id is derived from the same key: the simulation has no separate node key.
/// </summary>
public sealed class ValidatorSet : IDisposable
{
    private readonly Secp256k1PrivateKey[] _keys;

    private ValidatorSet(Secp256k1PrivateKey[] keys, ValidatorDirectory directory)
    {
        _keys = keys;
        Directory = directory;
    }

    public ValidatorDirectory Directory { get; }

    public int Count => _keys.Length;

    public ulong TotalWeight => Directory.TotalWeight;

    public Secp256k1PrivateKey KeyOf(int validatorIndex) => _keys[validatorIndex];

    public ulong WeightOf(int validatorIndex) => Directory[validatorIndex].Weight;

    /// <exception cref="ArgumentException">No weights, or a zero weight.</exception>
    public static ValidatorSet Generate(Random random, IReadOnlyList<ulong> weights, ulong chainId, ulong epoch = 1)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(weights);
        var keys = new Secp256k1PrivateKey[weights.Count];
        var specs = new ValidatorSpec[weights.Count];
        Span<byte> secret = stackalloc byte[Secp256k1PrivateKey.Size];
        try
        {
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = NextKey(random, secret);
                var peerId = PeerId.FromPublicKey(new Secp256k1PeerPublicKey(keys[i].PublicKey));
                specs[i] = new ValidatorSpec(peerId, keys[i].PublicKey, weights[i], $"region-{i % 3}", []);
            }
        }
        finally
        {
            Sodium.Wipe(secret);
        }
        return new ValidatorSet(keys, ValidatorDirectory.Create(chainId, epoch, specs));
    }

    public void Dispose()
    {
        foreach (var key in _keys)
            key?.Dispose();
    }

    private static Secp256k1PrivateKey NextKey(Random random, Span<byte> secret)
    {
        while (true)
        {
            random.NextBytes(secret);
            try
            {
                return Secp256k1PrivateKey.FromBytes(secret);
            }
            catch (InvalidKeyException)
            {
                // Zero or not below the group order: astronomically rare, draw again.
            }
        }
    }
}
