using Sequencer.Core.Wire;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz;

/// <summary>
/// A decoded bitmap's views agree: the enumerated indices ascend, are all contained, and number <c>Count</c>; for a
/// pair of bitmaps by decision, the merged walk over voters agrees with the two bitmaps.
/// </summary>
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

    public static void Walk(VoteBitmaps votes)
    {
        Walk(votes.Accepts);
        Walk(votes.Rejects);
        var named = 0;
        long previous = -1;
        foreach (var entry in votes)
        {
            ThrowIf(entry.Voter <= previous, "merged voter walk does not ascend");
            ThrowIf(!entry.Accept && !entry.Reject, "merged voter walk yields a voter with no vote named");
            ThrowIf(entry.Accept != votes.Accepts.Contains(entry.Voter) || entry.Reject != votes.Rejects.Contains(entry.Voter),
                "merged voter walk disagrees with the bitmaps");
            previous = entry.Voter;
            named += (entry.Accept ? 1 : 0) + (entry.Reject ? 1 : 0);
        }
        ThrowIf(named != votes.Count, "the merged walk names a different number of votes than the bitmaps hold");
    }
}
