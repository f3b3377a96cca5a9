namespace Sequencer.Core.Ports;

/// <summary>
/// The validator's signing key behind a port: BIP340 with random auxiliary data in production, deterministic aux in
/// the simulation so a schedule replays byte for byte. Votes and attestations must be signed only through
/// <see cref="Safety.SafetyRules"/>, which is the one holder of this interface that records what it signs.
/// </summary>
public interface IValidatorSigner
{
    /// <summary>The signer's index in the validator directory; every signed statement binds it.</summary>
    int ValidatorIndex { get; }

    /// <summary>Signs a 32-byte digest, writing the 64-byte BIP340 signature.</summary>
    void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64);
}
