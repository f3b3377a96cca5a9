namespace Sequencer.Core.Safety;

/// <summary>
/// The answer of <see cref="SafetyRules"/>: a signature in the caller's message (<see cref="SigningStatus.Signed"/>
/// or <see cref="SigningStatus.Resent"/>), or a typed refusal. A value, so the signing path allocates nothing;
/// only a refusal allocates its violation.
/// </summary>
public readonly struct SigningResult
{
    private SigningResult(SigningStatus status, SafetyViolation? violation)
    {
        Status = status;
        Violation = violation;
    }

    public SigningStatus Status { get; }

    /// <summary>Why the request was refused; null when it was signed.</summary>
    public SafetyViolation? Violation { get; }

    public bool IsSigned => Status != SigningStatus.Refused;

    public static SigningResult Signed => new(SigningStatus.Signed, null);

    public static SigningResult Resent => new(SigningStatus.Resent, null);

    public static SigningResult Refused(SafetyViolation violation) => new(SigningStatus.Refused, violation);

    public override string ToString() => Violation is null ? Status.ToString() : $"{Status}: {Violation}";
}
