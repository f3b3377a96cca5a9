namespace Sequencer.Core.VotePipeline;

/// <summary>
/// The pipeline's metrics: how many votes ended in each <see cref="VoteOutcome"/> (each vote once, by its final
/// outcome; a rejected delta as a whole counts once), and how many signatures were actually verified.
/// </summary>
public sealed class VotePipelineCounters
{
    // One cache line per counter: workers counting different outcomes never contend for a line.
    private const int Stride = 8;
    private const int VerificationsSlot = (int)VoteOutcome.RoundClosed + 1;

    private readonly long[] _counts = new long[(VerificationsSlot + 1) * Stride];

    /// <summary>Votes that ended in <paramref name="outcome"/> (always 0 for <see cref="VoteOutcome.Queued"/>).</summary>
    public long this[VoteOutcome outcome] => (uint)outcome < VerificationsSlot ? Volatile.Read(ref _counts[(int)outcome * Stride]) : 0;

    /// <summary>Signature verifications performed: never more than one per distinct (voter, decision, signature).</summary>
    public long Verifications => Volatile.Read(ref _counts[VerificationsSlot * Stride]);

    internal VoteOutcome Count(VoteOutcome outcome)
    {
        Interlocked.Increment(ref _counts[(int)outcome * Stride]);
        return outcome;
    }

    internal void CountVerification() => Interlocked.Increment(ref _counts[VerificationsSlot * Stride]);
}
