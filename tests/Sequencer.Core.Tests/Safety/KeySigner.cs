using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;

namespace Sequencer.Core.Tests.Safety;

/// <summary>A real BIP340 signer (random aux) over a test key.</summary>
internal sealed class KeySigner(Secp256k1PrivateKey key, int validatorIndex) : IValidatorSigner
{
    public int ValidatorIndex { get; } = validatorIndex;

    public void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64) => key.SignSchnorr(digest32, signature64);
}
