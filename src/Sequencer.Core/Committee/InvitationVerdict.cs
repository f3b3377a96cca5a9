using Sequencer.Core.Wire;

namespace Sequencer.Core.Committee;

/// <summary>
/// A buddy's decision on one invitation. When the invitation verified (<see cref="Kind"/> is accept or decline),
/// <see cref="Seats"/> holds the committee draw it was checked against, so the round does not derive it again.
/// </summary>
public readonly record struct InvitationVerdict
{
    private InvitationVerdict(InvitationVerdictKind kind, DeclineReason reason, InvitationError error, CommitteeSeats? seats)
    {
        Kind = kind;
        Reason = reason;
        Error = error;
        Seats = seats;
    }

    public InvitationVerdictKind Kind { get; }

    /// <summary>With <see cref="InvitationVerdictKind.Decline"/>, the reason to sign; otherwise <see cref="DeclineReason.None"/>.</summary>
    public DeclineReason Reason { get; }

    /// <summary>With <see cref="InvitationVerdictKind.Refuse"/>, why; otherwise <see cref="InvitationError.None"/>.</summary>
    public InvitationError Error { get; }

    public CommitteeSeats? Seats { get; }

    public static InvitationVerdict Accept(CommitteeSeats seats) =>
        new(InvitationVerdictKind.Accept, DeclineReason.None, InvitationError.None, seats);

    public static InvitationVerdict Decline(DeclineReason reason, CommitteeSeats seats) =>
        reason.IsDeclineReason()
            ? new(InvitationVerdictKind.Decline, reason, InvitationError.None, seats)
            : throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a reason a decline may carry");

    public static InvitationVerdict Refuse(InvitationError error) =>
        error != InvitationError.None
            ? new(InvitationVerdictKind.Refuse, DeclineReason.None, error, null)
            : throw new ArgumentOutOfRangeException(nameof(error), error, "a refusal needs a reason");

    public override string ToString() => Kind switch
    {
        InvitationVerdictKind.Accept => "accept",
        InvitationVerdictKind.Decline => $"decline ({Reason})",
        _ => $"refuse ({Error})",
    };
}
