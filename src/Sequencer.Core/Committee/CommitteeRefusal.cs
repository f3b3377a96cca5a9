namespace Sequencer.Core.Committee;

/// <summary>A refused derivation or decline: the rule and, where one is to blame, the validator (else −1).</summary>
public readonly record struct CommitteeRefusal(CommitteeError Error, int ValidatorIndex = -1)
{
    public static CommitteeRefusal None => default;

    public bool IsNone => Error == CommitteeError.None;

    public override string ToString() => ValidatorIndex < 0 ? Error.ToString() : $"{Error} (validator {ValidatorIndex})";
}
