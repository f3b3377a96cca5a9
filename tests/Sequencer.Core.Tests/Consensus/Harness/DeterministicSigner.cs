using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;

namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>BIP340 with all-zero auxiliary data, so a run signs the same bytes every time.</summary>
internal sealed class DeterministicSigner(Secp256k1PrivateKey key, int index) : IValidatorSigner
{
    private static readonly byte[] s_aux = new byte[32];

    public int ValidatorIndex => index;

    public void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64) => key.SignSchnorr(digest32, s_aux, signature64);
}
