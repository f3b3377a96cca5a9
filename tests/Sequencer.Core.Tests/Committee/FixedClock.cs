namespace Sequencer.Core.Tests.Committee;

/// <summary>A clock that always reads the same instant.</summary>
internal sealed class FixedClock(long unixMilliseconds) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}
