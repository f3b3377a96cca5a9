namespace Sequencer.Core.Safety;

/// <summary>
/// Computes the 32-byte digest a vote signature covers (the wire codec's tagged hash of every signed field,
/// including <paramref name="voterIndex"/>). Must be a pure function of its arguments: the rules compare digests to
/// tell an identical request (answered with the stored signature) from a different one (refused).
/// </summary>
public delegate void VoteDigestFunction(in VoteToSign vote, int voterIndex, Span<byte> digest32);

/// <summary>The attestation counterpart of <see cref="VoteDigestFunction"/>.</summary>
public delegate void AttestationDigestFunction(in AttestationToSign attestation, int attesterIndex, Span<byte> digest32);
