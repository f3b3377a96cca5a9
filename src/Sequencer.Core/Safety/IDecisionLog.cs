using Sequencer.Core.Wire;

namespace Sequencer.Core.Safety;

/// <summary>
/// The append-only record of decided certificates (DESIGN §6). <see cref="Append"/> returns once the record would
/// survive a crash; after a failed append the log is faulted (<see cref="SafetyStateFaultedException"/>) until it is
/// reopened, which cuts whatever part of that record reached the disk.
/// </summary>
public interface IDecisionLog
{
    /// <summary>Durably appends one certificate.</summary>
    /// <exception cref="IOException">The record could not be made durable (the log is now faulted).</exception>
    /// <exception cref="ArgumentException">The outcome is undefined or the certificate is larger than <see cref="FileDecisionLog.MaxCertificateLength"/>.</exception>
    void Append(ulong chainId, ulong height, Decision outcome, ReadOnlySpan<byte> certificate);

    /// <summary>The records in append order.</summary>
    IEnumerable<DecisionRecord> ReadAll();
}
