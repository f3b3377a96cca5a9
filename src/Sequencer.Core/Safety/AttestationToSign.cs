namespace Sequencer.Core.Safety;

/// <summary>
/// The fields of an attestation (DESIGN §3 step 8) a buddy asks <see cref="SafetyRules"/> to sign — all of them but
/// the attester's index, which the rules take from the signer. The committee digest names the committee proof the
/// buddy serves under; it is signed, so attestations under different proofs never form one quorum.
/// </summary>
public readonly struct AttestationToSign(
    ulong chainId, ulong height, Hash32 blockHash, Hash32 directoryHash, Hash32 committeeDigest, Decision value)
{
    public readonly ulong ChainId = chainId;
    public readonly ulong Height = height;
    public readonly Hash32 BlockHash = blockHash;
    public readonly Hash32 DirectoryHash = directoryHash;
    public readonly Hash32 CommitteeDigest = committeeDigest;
    public readonly Decision Value = value;
}
