namespace Sequencer.Core.Safety;

public enum SafetyLookupStatus : byte
{
    /// <summary>Nothing was signed at this height.</summary>
    Absent,

    /// <summary>A statement was signed at this height: <see cref="SafetyLookup.Record"/>.</summary>
    Found,

    /// <summary>
    /// The height is below the oldest one the store still tracks: it may have been signed and forgotten, so nothing
    /// may be signed there (<see cref="SafetyLookup.LowestTrackedHeight"/>).
    /// </summary>
    BelowTrackedHeights,
}
