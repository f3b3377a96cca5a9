using System.Diagnostics.CodeAnalysis;

namespace Sequencer.Fuzz;

/// <summary>A decoder broke its contract on a fuzz input: the one exception a target throws on purpose.</summary>
internal sealed class ContractViolationException(string message) : Exception(message)
{
    public static void ThrowIf([DoesNotReturnIf(true)] bool violated, string message)
    {
        if (violated)
            throw new ContractViolationException(message);
    }
}
