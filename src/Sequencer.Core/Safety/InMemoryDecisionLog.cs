using Sequencer.Core.Wire;

namespace Sequencer.Core.Safety;

/// <summary>
/// The simulation's <see cref="IDecisionLog"/>: survives a simulated crash as the node's disk does, with
/// <see cref="ArmCrash"/> to make the next append die on either side of its durable point. Not thread-safe.
/// </summary>
public sealed class InMemoryDecisionLog : IDecisionLog
{
    private readonly List<DecisionRecord> _records = [];
    private SafetyCrashPoint? _armedCrash;

    public int RecordCount => _records.Count;

    /// <summary>The next <see cref="Append"/> throws <see cref="SimulatedCrashException"/> at <paramref name="point"/>.</summary>
    public void ArmCrash(SafetyCrashPoint point) => _armedCrash = point;

    public void Append(ulong chainId, ulong height, Decision outcome, ReadOnlySpan<byte> certificate)
    {
        if (outcome is not (Decision.Accept or Decision.Reject))
            throw new ArgumentException($"outcome {(byte)outcome} is neither accept (1) nor reject (2)", nameof(outcome));
        if (certificate.Length > FileDecisionLog.MaxCertificateLength)
            throw new ArgumentException(
                $"a {certificate.Length}-byte certificate exceeds {FileDecisionLog.MaxCertificateLength} bytes", nameof(certificate));
        var crash = _armedCrash;
        _armedCrash = null;
        if (crash == SafetyCrashPoint.BeforeDurable)
            throw new SimulatedCrashException(SafetyCrashPoint.BeforeDurable);
        _records.Add(new DecisionRecord(chainId, height, outcome, certificate.ToArray()));
        if (crash == SafetyCrashPoint.AfterDurable)
            throw new SimulatedCrashException(SafetyCrashPoint.AfterDurable);
    }

    public IEnumerable<DecisionRecord> ReadAll() => _records.ToArray();
}
