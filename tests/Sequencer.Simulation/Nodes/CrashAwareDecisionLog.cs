using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Nodes;

/// <summary>The host's <see cref="InMemoryDecisionLog"/> as its process sees it; see <see cref="CrashAwareSafetyStore"/>.</summary>
internal sealed class CrashAwareDecisionLog(InMemoryDecisionLog inner, Action crash) : IDecisionLog
{
    public void Append(ulong chainId, ulong height, Decision outcome, ReadOnlySpan<byte> certificate)
    {
        try
        {
            inner.Append(chainId, height, outcome, certificate);
        }
        catch (SimulatedCrashException)
        {
            crash();
            throw;
        }
    }

    public IEnumerable<DecisionRecord> ReadAll() => inner.ReadAll();
}
