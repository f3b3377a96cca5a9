using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Safety;

/// <summary>
/// Why <see cref="SafetyRules"/> refused to sign, with the numbers that caused it. A closed set: match on the case.
/// </summary>
public abstract record SafetyViolation
{
    private SafetyViolation()
    {
    }

    /// <summary>
    /// Rule S1: this validator already signed a different vote at (chainId, height). When the block and decision
    /// agree, the difference is in another signed field (the directory hash).
    /// </summary>
    public sealed record AlreadyVoted(
        ulong ChainId, ulong Height,
        Hash32 ExistingBlockHash, Decision ExistingDecision,
        Hash32 RequestedBlockHash, Decision RequestedDecision) : SafetyViolation;

    /// <summary>
    /// Rule S2: this validator already signed a different attestation at (chainId, height). When the block and value
    /// agree, the difference is in another signed field (the directory or the committee digest).
    /// </summary>
    public sealed record AlreadyAttested(
        ulong ChainId, ulong Height,
        Hash32 ExistingBlockHash, Decision ExistingValue,
        Hash32 RequestedBlockHash, Decision RequestedValue) : SafetyViolation;

    /// <summary>
    /// Rule S4: the height is below the window the store still tracks for this chain, so whether something was
    /// signed there is no longer known.
    /// </summary>
    public sealed record HeightNoLongerTracked(
        SafetyRecordKind Kind, ulong ChainId, ulong Height, ulong LowestTrackedHeight) : SafetyViolation;

    /// <summary>
    /// Rule S3/S5: the record could not be made durable, or an earlier save failed; nothing is signed until the
    /// store is reopened.
    /// </summary>
    public sealed record StoreUnavailable(
        SafetyRecordKind Kind, ulong ChainId, ulong Height, string Reason) : SafetyViolation;
}
