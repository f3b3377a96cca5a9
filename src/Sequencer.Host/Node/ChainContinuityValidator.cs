using Sequencer.Core.Ports;
using Sequencer.Core.Wire;

namespace Sequencer.Host.Node;

/// <summary>
/// The stand-in for the Block module's judgement until the chain plugs in its own (<see cref="IBlockValidator"/>): a
/// block must extend the chain this node knows. It rejects a block at height h whose parent hash differs from the
/// block an Accept certificate in this node's decision log decided at h − 1; when the node holds no such certificate
/// (it missed that round, or h − 1 was rejected or timed out) it cannot tell, and accepts.
/// </summary>
/// <remarks>Called on the node's loop, where the <see cref="DecisionBook"/> lives, and answers synchronously.</remarks>
internal sealed class ChainContinuityValidator(DecisionBook decisions) : IBlockValidator
{
    public ValueTask<Decision> ValidateAsync(ProposedBlock block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.ChainId == decisions.ChainId && block.Height > 0
            && decisions.TryGetAccepted(block.Height - 1, out var parent) && parent != block.ParentHash)
            return ValueTask.FromResult(Decision.Reject);
        return ValueTask.FromResult(Decision.Accept);
    }
}
