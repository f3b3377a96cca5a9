namespace Sequencer.Core.Safety;

/// <summary>
/// The durable memory behind rules S1–S3 of <see cref="SafetyRules"/>: at most one record per (kind, chainId,
/// height), kept across crashes and restarts. Only <see cref="SafetyRules"/> writes to it.
/// </summary>
/// <remarks>
/// <para>Contract of <see cref="Save"/>: when it returns, the record survives any crash (file store: written, fsynced,
/// renamed over the old state, directory fsynced). When it throws an <see cref="IOException"/>, whether the record
/// survived is unknown, so the store refuses every later call with <see cref="SafetyStateFaultedException"/> until
/// the process reopens it from what is really on disk.</para>
/// <para>A store tracks a bounded window of heights per (kind, chainId) — see
/// <see cref="FileSafetyStore.DefaultRetainedHeights"/> — and answers
/// <see cref="SafetyLookupStatus.BelowTrackedHeights"/> below it, never "absent".</para>
/// </remarks>
public interface ISafetyStore
{
    /// <summary>What was signed at this height, if anything.</summary>
    /// <exception cref="SafetyStateFaultedException">An earlier save failed.</exception>
    SafetyLookup Find(SafetyRecordKind kind, ulong chainId, ulong height);

    /// <summary>Durably records a statement; returns only once it would survive a crash.</summary>
    /// <exception cref="IOException">The record could not be made durable (the store is now faulted).</exception>
    /// <exception cref="InvalidOperationException">A record already exists at that height, or the height is below the tracked window.</exception>
    void Save(SafetyRecordKind kind, in SafetyRecord record);
}
