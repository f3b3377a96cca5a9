using Sequencer.Core.Wire;

namespace Sequencer.Core.Ports;

/// <summary>
/// Judges a proposed block for the local voter (DESIGN §3 step 5): pluggable, because validity is the chain's business,
/// not the consensus engine's. A completion that is not synchronous is posted back onto the node's loop by the caller.
/// </summary>
public interface IBlockValidator
{
    ValueTask<Decision> ValidateAsync(ProposedBlock block, CancellationToken cancellationToken);
}
