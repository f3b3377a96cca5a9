using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;

namespace Sequencer.Host.Node;

/// <summary>The production signer: BIP340 with fresh random auxiliary data (the validator key stays the caller's).</summary>
internal sealed class ValidatorSigner(Secp256k1PrivateKey key, int validatorIndex) : IValidatorSigner
{
    public int ValidatorIndex { get; } = validatorIndex;

    public void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64) => key.SignSchnorr(digest32, signature64);
}
