using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Safety;

/// <summary>
/// "Signed at (chainId, height): this block, this value, this digest, this signature." The digest covers every signed
/// field (the directory, the signer index, an attestation's committee), so a request is the identical statement
/// exactly when its digest equals the stored one — and only then may the stored signature be handed out again.
/// Held inline (145 bytes of payload, no references), so tables of them cost the garbage collector nothing.
/// </summary>
public struct SafetyRecord
{
    public ulong ChainId;
    public ulong Height;
    public Hash32 BlockHash;
    public Decision Value;
    public Hash32 Digest;
    public SchnorrSignature Signature;
}
