using Sequencer.Core.Primitives;

namespace Sequencer.Core.Ports;

/// <summary>
/// A block as the consensus engine sees it: where it sits in the chain and a bounded summary the validators judge it by
/// (the full block travels through the Block module, not through consensus).
/// </summary>
/// <param name="Summary">At most <c>WireLimits.MaxBlockSummaryLength</c> bytes, carried in the proposal.</param>
public sealed record ProposedBlock(ulong ChainId, ulong Height, Hash32 ParentHash, Hash32 BlockHash, ReadOnlyMemory<byte> Summary);
