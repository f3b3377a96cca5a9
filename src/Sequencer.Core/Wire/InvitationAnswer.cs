namespace Sequencer.Core.Wire;

/// <summary>A buddy's answer to an invitation. Zero is not a value (see <see cref="Decision"/>).</summary>
public enum InvitationAnswer : byte
{
    Accept = 1,
    Decline = 2,
}

public static class InvitationAnswerExtensions
{
    public static bool IsDefined(this InvitationAnswer answer) =>
        answer is InvitationAnswer.Accept or InvitationAnswer.Decline;
}
