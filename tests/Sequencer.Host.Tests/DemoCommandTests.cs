namespace Sequencer.Host.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public void DemoWalksThroughEveryFoundationAndChecksEach()
    {
        var result = NativeBinary.Instance.Run("demo");
        Assert.True(result.ExitCode == 0, result.StandardError);
        foreach (var step in new[] { "1. Identities", "2. Validator directory", "3. Committee", "4. A signed vote", "Every step checked out." })
            Assert.Contains(step, result.StandardOutput);
        Assert.Equal(string.Empty, result.StandardError);
    }
}
