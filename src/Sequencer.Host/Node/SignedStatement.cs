using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Host.Node;

/// <summary>What a signed statement is: a voter's vote or a buddy's attestation.</summary>
internal enum SignedKind
{
    Vote,
    Attestation,
}

/// <summary>
/// One signed vote or attestation this node produced or verified (the <c>--trace-signed</c> trace): enough for a scan
/// to find a signer with two different digests of one kind at one height, which is what double-signing is.
/// </summary>
/// <param name="Digest">The tagged signing digest the signature covers.</param>
internal readonly record struct SignedStatement(SignedKind Kind, int Signer, ulong Height, Hash32 Block, Decision Value, Hash32 Digest);
