using FsCheck;
using FsCheck.Xunit;
using Sequencer.Host.Configuration;

namespace Sequencer.Host.Tests.Configuration;

public sealed class DurationTests
{
    [Theory]
    [InlineData("20s", 20_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1h0m1ms", 3_600_001)]
    [InlineData("0s", 0)]
    public void Parses(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("20")]
    [InlineData("s")]
    [InlineData("1.5s")]
    [InlineData("-1s")]
    [InlineData("30s1m")]
    [InlineData("1s1s")]
    [InlineData("1d")]
    [InlineData("1S")]
    [InlineData(" 1s")]
    [InlineData("1234567890s")]
    public void Refuses(string text) => Assert.False(Duration.TryParse(text, out _));

    [Property]
    public bool FormatReadsBack(NonNegativeInt milliseconds, byte hours)
    {
        var duration = TimeSpan.FromHours(hours) + TimeSpan.FromMilliseconds(milliseconds.Get);
        return Duration.TryParse(Duration.Format(duration), out var back) && back == duration;
    }
}
