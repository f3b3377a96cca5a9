using System.Text.Json;

namespace Sequencer.Host.Tests.Cluster;

/// <summary>
/// <c>sequencer cluster</c> end to end: the published binary starts its own node processes on loopback. Small networks
/// and few rounds keep each run to a few seconds.
/// </summary>
public sealed class ClusterCommandTests
{
    private static (ProcessResult Result, JsonElement Summary) Run(params string[] arguments)
    {
        var result = NativeBinary.Instance.Run(["cluster", "--json", .. arguments]);
        var lines = result.StandardOutput.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].StartsWith('{'), $"stdout: {result.StandardOutput}\nstderr: {result.StandardError}");
        return (result, JsonDocument.Parse(lines[0]).RootElement.Clone());
    }

    private static int[] Indices(JsonElement summary, string name, string? within = null) =>
        [.. (within is null ? summary : summary.GetProperty(within)).GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];

    [Fact]
    public void SevenNodesDecideEveryRound()
    {
        var (result, summary) = Run("--nodes", "7", "--rounds", "5");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.True(summary.GetProperty("ok").GetBoolean());
        Assert.Equal(5, summary.GetProperty("accepted").GetInt32());
        Assert.Equal(0, summary.GetProperty("failed").GetInt32());
        Assert.Equal(5, summary.GetProperty("latencyMs").GetProperty("count").GetInt32());
        Assert.True(summary.GetProperty("signatures").GetInt32() >= 5 * 7, "every validator's vote at every height was seen");
        Assert.Empty(Indices(summary, "doubleSigners"));
        var rounds = summary.GetProperty("roundList").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2, 3, 4], rounds.Select(r => r.GetProperty("sequencer").GetInt32()));
        Assert.All(rounds, r => Assert.True(r.GetProperty("signers").GetInt32() > 2 * r.GetProperty("committee").GetInt32() / 3));
        // The human output went to stderr: progress lines and the table.
        Assert.Contains("round   5/5", result.StandardError);
        Assert.Contains("result          OK", result.StandardError);
    }

    [Fact]
    public void KillingABuddyMidRoundStillDecides()
    {
        var (result, summary) = Run("--nodes", "7", "--rounds", "3", "--kill-buddies", "1");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(3, summary.GetProperty("accepted").GetInt32());
        var killed = Assert.Single(Indices(summary, "killedBuddies", "faults"));
        Assert.Equal(2, summary.GetProperty("faults").GetProperty("killRound").GetInt32());
        Assert.NotEqual(1, killed);
        Assert.Contains($"killed buddies node-{killed}", result.StandardError);
    }

    [Fact]
    public void KillingFBuddiesOfAFullCommitteeStillDecidesAndTheyComeBackWithoutSigningTwice()
    {
        // 17 nodes: 13 main buddies and 3 backups, f = 4. Four of them die right after the middle round's committee
        // is drawn; that round and the rounds after it still decide, and the restarted four sign nothing twice.
        var (result, summary) = Run("--nodes", "17", "--rounds", "4", "--kill-buddies", "4", "--restart");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(4, summary.GetProperty("accepted").GetInt32());
        var killed = Indices(summary, "killedBuddies", "faults");
        Assert.Equal(4, killed.Distinct().Count());
        Assert.Equal(killed.Order(), Indices(summary, "restarted", "faults").Order());
        Assert.Empty(Indices(summary, "doubleSigners"));
    }

    [Fact]
    public void TheScanFindsExactlyTheByzantineNode()
    {
        var (result, summary) = Run("--nodes", "7", "--rounds", "3", "--byzantine", "1");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal([6], Indices(summary, "byzantine", "faults"));
        Assert.Equal([6], Indices(summary, "doubleSigners"));
        Assert.Empty(Indices(summary, "honestDoubleSigners"));
        Assert.Equal(3, summary.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public void AKilledSequencerLeavesNoDisagreementAndComesBackWithoutSigningTwice()
    {
        // 4 rounds: the sequencer of round 3 (node-2) dies after drawing its committee, restarts, and votes in round 4.
        var (result, summary) = Run("--nodes", "5", "--rounds", "4", "--kill-sequencer", "--restart", "--round-timeout", "2s");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(2, summary.GetProperty("faults").GetProperty("killedSequencer").GetInt32());
        Assert.Equal([2], Indices(summary, "restarted", "faults"));
        var kill = summary.GetProperty("sequencerKill");
        Assert.Equal(3, kill.GetProperty("height").GetInt32());
        Assert.True(kill.GetProperty("consistent").GetBoolean());
        Assert.Equal(0, kill.GetProperty("unanswered").GetInt32());
        Assert.Equal((3, 1), (summary.GetProperty("accepted").GetInt32(), summary.GetProperty("noOutcome").GetInt32()));
        Assert.Empty(Indices(summary, "doubleSigners"));
    }

    [Theory]
    [InlineData(1, "--nodes 1: must be 2", "--nodes", "1")]
    [InlineData(1, "--kill-buddies 2: must be 0 … 1", "--nodes", "7", "--kill-buddies", "2")]
    [InlineData(1, "--restart brings killed nodes back", "--restart")]
    [InlineData(2, "--round-timeout 'soon' is not a duration", "--round-timeout", "soon")]
    [InlineData(2, "--rounds", "--rounds", "many")]
    [InlineData(2, "--colour", "--colour", "red")]
    public void BadOptionsAreRefusedBeforeAnythingStarts(int exitCode, string message, params string[] arguments)
    {
        var result = NativeBinary.Instance.Run(["cluster", .. arguments]);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith("error: ", result.StandardError);
        Assert.Contains(message, result.StandardError);
        Assert.Empty(result.StandardOutput);
    }
}
