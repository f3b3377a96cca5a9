using Sequencer.Core.Wire;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz;

/// <summary>A decoded bitmap's views agree: the enumerated indices ascend, are all contained, and number <c>Count</c>.</summary>
internal static class VoterBitmapCheck
{
    public static void Walk(VoterBitmap bitmap)
    {
        var count = 0;
        long previous = -1;
        foreach (var index in bitmap)
        {
            ThrowIf(index <= previous, "bitmap indices do not ascend");
            ThrowIf(!bitmap.Contains(index), "an enumerated index is not contained");
            ThrowIf(index >= WireLimits.MaxValidators, "a bitmap index is beyond the validator bound");
            previous = index;
            count++;
        }
        ThrowIf(count != bitmap.Count, "the bitmap enumerates a different number of indices than it counts");
    }
}
