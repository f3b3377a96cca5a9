namespace Sequencer.Core.Committee;

/// <summary>
/// The timing a buddy demands of an invitation's deadline, measured against its own clock. Less than
/// <see cref="MinimumTimeLeft"/> and it declines (<c>DeadlineTooShort</c>: it could not do the work in time); more than
/// <see cref="MaximumTimeLeft"/> and it refuses outright: no honest sequencer sets a deadline beyond its consensus
/// timeout plus clock skew, and accepting one would let a faulty sequencer hold the buddy's resources indefinitely.
/// </summary>
public sealed record InvitationPolicy
{
    /// <summary>2 s to 60 s: a 20 s round leaves room on both sides for clock skew and transit.</summary>
    public static InvitationPolicy Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));

    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="minimumTimeLeft"/> is negative, or <paramref name="maximumTimeLeft"/> is not greater than it.
    /// </exception>
    public InvitationPolicy(TimeSpan minimumTimeLeft, TimeSpan maximumTimeLeft)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumTimeLeft, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maximumTimeLeft, minimumTimeLeft);
        MinimumTimeLeft = minimumTimeLeft;
        MaximumTimeLeft = maximumTimeLeft;
    }

    public TimeSpan MinimumTimeLeft { get; }

    public TimeSpan MaximumTimeLeft { get; }
}
