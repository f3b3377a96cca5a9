namespace Sequencer.Core.Committee;

/// <summary>
/// Signs a 32-byte signing digest with the validator key (BIP340), writing 64 bytes. The validator-signer port's
/// <c>Sign</c> method fits it, so the engine passes that; a test may pass a key's own method.
/// </summary>
public delegate void DigestSigner(ReadOnlySpan<byte> digest32, Span<byte> signature64);
