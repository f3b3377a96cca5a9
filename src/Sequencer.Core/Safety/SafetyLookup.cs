namespace Sequencer.Core.Safety;

/// <summary>The store's answer for one (kind, chainId, height).</summary>
public readonly struct SafetyLookup
{
    private SafetyLookup(SafetyLookupStatus status, in SafetyRecord record, ulong lowestTrackedHeight)
    {
        Status = status;
        Record = record;
        LowestTrackedHeight = lowestTrackedHeight;
    }

    public SafetyLookupStatus Status { get; }

    /// <summary>The stored record when <see cref="Status"/> is <see cref="SafetyLookupStatus.Found"/>.</summary>
    public SafetyRecord Record { get; }

    /// <summary>When <see cref="Status"/> is <see cref="SafetyLookupStatus.BelowTrackedHeights"/>: the lowest height that can still be signed.</summary>
    public ulong LowestTrackedHeight { get; }

    public static SafetyLookup Absent => default;

    public static SafetyLookup Found(in SafetyRecord record) => new(SafetyLookupStatus.Found, record, 0);

    public static SafetyLookup BelowTrackedHeights(ulong lowestTrackedHeight) =>
        new(SafetyLookupStatus.BelowTrackedHeights, default, lowestTrackedHeight);
}
