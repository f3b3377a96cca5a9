namespace Sequencer.Core.Safety;

/// <summary>
/// The fields of a vote (DESIGN §3 step 5) a voter asks <see cref="SafetyRules"/> to sign — all of them but the
/// voter's index, which the rules take from the signer so no caller can sign under another index.
/// </summary>
public readonly struct VoteToSign(ulong chainId, ulong height, Hash32 blockHash, Hash32 directoryHash, Decision decision)
{
    public readonly ulong ChainId = chainId;
    public readonly ulong Height = height;
    public readonly Hash32 BlockHash = blockHash;
    public readonly Hash32 DirectoryHash = directoryHash;
    public readonly Decision Decision = decision;
}
