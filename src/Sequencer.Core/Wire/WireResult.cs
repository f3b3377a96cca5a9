namespace Sequencer.Core.Wire;

/// <summary>
/// The outcome of decoding or validating a message: an error kind and the field it concerns. A plain value, so the
/// hot path reports failures without exceptions or allocation; <see cref="ToString"/> is for logs.
/// </summary>
public readonly record struct WireResult(WireError Error, WireField Field)
{
    public static WireResult Ok => default;

    public bool IsOk => Error == WireError.None;

    public static WireResult Truncated(WireField field) => new(WireError.Truncated, field);

    public static WireResult TooLarge(WireField field) => new(WireError.TooLarge, field);

    public static WireResult Invalid(WireField field) => new(WireError.InvalidField, field);

    public override string ToString() => Field == WireField.None ? Error.ToString() : $"{Error}({Field})";
}
