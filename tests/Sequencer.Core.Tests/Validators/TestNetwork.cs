using System.Text;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Ports;
using Sequencer.Core.Validators;

namespace Sequencer.Core.Tests.Validators;

/// <summary>
/// Deterministic validator sets for tests: validator i's key is SHA-256("jmzk/sequencer/test-validator/i") and its
/// node key SHA-256("jmzk/sequencer/test-node/i"), the same derivation as Data/validator-directory.py.
/// </summary>
internal sealed class TestNetwork
{
    private static readonly Dictionary<(string, int), Secp256k1PrivateKey> s_keys = [];

    private TestNetwork(ValidatorDirectory directory, Secp256k1PrivateKey[] keys)
    {
        Directory = directory;
        Keys = keys;
    }

    public ValidatorDirectory Directory { get; }

    /// <summary>The validator keys by index.</summary>
    public Secp256k1PrivateKey[] Keys { get; }

    public static TestNetwork Create(int count, Func<int, ulong>? weight = null, ulong chainId = 7, ulong epoch = 0)
    {
        var specs = new ValidatorSpec[count];
        var keys = new Secp256k1PrivateKey[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = Key("validator", i);
            specs[i] = Spec(i, weight?.Invoke(i) ?? 1);
        }
        return new TestNetwork(ValidatorDirectory.Create(chainId, epoch, specs), keys);
    }

    /// <summary>Validator i's spec with the given weight, a region and one address.</summary>
    public static ValidatorSpec Spec(int i, ulong weight) =>
        new(PeerIdOf(i), Key("validator", i).PublicKey, weight, $"region-{i % 4}", [$"/ip4/10.0.{i / 256}.{i % 256}/tcp/4001"]);

    public static PeerId PeerIdOf(int i) => PeerId.FromPublicKey(new Secp256k1PeerPublicKey(Key("node", i).PublicKey));

    public static Secp256k1PrivateKey Key(string kind, int i)
    {
        lock (s_keys)
        {
            if (!s_keys.TryGetValue((kind, i), out var key))
            {
                var secret = new byte[32];
                Sha256.Hash(Encoding.UTF8.GetBytes($"jmzk/sequencer/test-{kind}/{i}"), secret);
                key = Secp256k1PrivateKey.FromBytes(secret);
                s_keys.Add((kind, i), key);
            }
            return key;
        }
    }

    /// <summary>Validator i's signer (deterministic aux, so tests replay byte for byte).</summary>
    public IValidatorSigner SignerOf(int i) => new KeySigner(Keys[i], i);

    private sealed class KeySigner(Secp256k1PrivateKey key, int index) : IValidatorSigner
    {
        public int ValidatorIndex => index;

        public void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64) => key.SignSchnorr(digest32, new byte[32], signature64);
    }
}
