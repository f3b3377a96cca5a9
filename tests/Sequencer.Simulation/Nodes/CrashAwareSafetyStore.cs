using Sequencer.Core.Safety;

namespace Sequencer.Simulation.Nodes;

/// <summary>
/// The host's <see cref="InMemorySafetyStore"/> as its process sees it. When an armed crash strikes inside a save, the
/// process is killed right there — before the exception unwinds into engine code that might catch it, or end up in a
/// faulted task nobody observes — so not one more message leaves the dead incarnation.
/// </summary>
internal sealed class CrashAwareSafetyStore(InMemorySafetyStore inner, Action crash) : ISafetyStore
{
    public SafetyLookup Find(SafetyRecordKind kind, ulong chainId, ulong height) => inner.Find(kind, chainId, height);

    public void Save(SafetyRecordKind kind, in SafetyRecord record)
    {
        try
        {
            inner.Save(kind, record);
        }
        catch (SimulatedCrashException)
        {
            crash();
            throw;
        }
    }
}
