namespace Sequencer.Core.Safety;

public enum SigningStatus : byte
{
    /// <summary>The request broke a rule; <see cref="SigningResult.Violation"/> says which, with its numbers.</summary>
    Refused,

    /// <summary>A new statement was signed and durably recorded before this answer.</summary>
    Signed,

    /// <summary>The identical statement was signed before (perhaps before a crash); its stored signature is returned.</summary>
    Resent,
}
