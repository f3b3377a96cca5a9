using Sequencer.Core.Ports;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>Judges every block the same way, synchronously.</summary>
internal sealed class FixedBlockValidator(Decision decision) : IBlockValidator
{
    public int Calls { get; private set; }

    public ValueTask<Decision> ValidateAsync(ProposedBlock block, CancellationToken cancellationToken)
    {
        Calls++;
        return ValueTask.FromResult(decision);
    }
}
