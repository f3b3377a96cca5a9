namespace Sequencer.Core.Safety;

/// <summary>
/// What opening a decision log found: how many records are intact and whether a torn tail — the remains of an
/// append interrupted by a crash — was cut off (truncated and fsynced) at <see cref="ValidLength"/>.
/// </summary>
public readonly record struct DecisionLogRecovery(long Records, long ValidLength, long BytesCut, DecisionLogTail Tail)
{
    public bool WasCut => BytesCut > 0;
}
