using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;

namespace Sequencer.Simulation.Nodes;

/// <summary>
/// A validator's signing key in the simulation: real BIP340 signatures with auxiliary randomness drawn from the
/// process's seeded <see cref="Random"/> instead of the system's, so that every signature — and every byte on the
/// wire — replays exactly from the seed. <paramref name="onSigned"/> lets the checkers know what was signed and when.
/// </summary>
public sealed class SimulatedSigner(Secp256k1PrivateKey key, int validatorIndex, Random random, Action<Hash32>? onSigned = null)
    : IValidatorSigner
{
    public int ValidatorIndex { get; } = validatorIndex;

    public void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64)
    {
        if (digest32.Length != 32)
            throw new ArgumentException($"a signing digest is 32 bytes, got {digest32.Length}", nameof(digest32));
        Span<byte> auxiliary = stackalloc byte[Secp256k1PrivateKey.AuxiliaryRandomSize];
        random.NextBytes(auxiliary);
        key.SignSchnorr(digest32, auxiliary, signature64);
        onSigned?.Invoke(Hash32.FromSpan(digest32));
    }
}
