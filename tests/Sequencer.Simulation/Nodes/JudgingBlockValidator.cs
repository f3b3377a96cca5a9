using Sequencer.Core.Ports;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Nodes;

/// <summary>A block validator that answers at once with a scripted judgement (the simulation's chain has no blocks).</summary>
public sealed class JudgingBlockValidator(Func<ProposedBlock, Decision> judge) : IBlockValidator
{
    public static readonly JudgingBlockValidator AcceptAll = new(_ => Decision.Accept);

    public ValueTask<Decision> ValidateAsync(ProposedBlock block, CancellationToken cancellationToken) =>
        ValueTask.FromResult(judge(block));
}
