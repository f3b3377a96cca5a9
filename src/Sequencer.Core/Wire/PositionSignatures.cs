using System.Runtime.CompilerServices;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// Inline storage for a certificate's attestation signatures, indexed by committee position (0 … 22): the signature
/// of position p is element p, and positions the signer bitmap leaves out hold zeros.
/// </summary>
[InlineArray(WireLimits.MaxCommitteeCandidates)]
public struct PositionSignatures
{
    private SchnorrSignature _element0;
}
