using Sequencer.Host.Cli;
using Sequencer.Host.Cluster;

namespace Sequencer.Host.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void TheDefaultsAreValidAndTolerateFourFaultsOfThirteen()
    {
        var options = new ClusterOptions();
        options.Validate();
        Assert.Equal((24, 20, 13, 4), (options.Nodes, options.Rounds, options.MainBuddies, options.ToleratedFaults));
        Assert.Equal((10, 11), (options.FaultRound, options.SequencerKillRound));
        Assert.Equal(TimeSpan.FromSeconds(20), options.Consensus().ConsensusTimeout);
    }

    [Theory]
    [InlineData(7, 6, 1)]
    [InlineData(4, 3, 0)]
    [InlineData(14, 13, 4)]
    [InlineData(100, 13, 4)]
    public void FIsAThirdOfTheMainBuddiesRoundedDown(int nodes, int main, int f)
    {
        var options = new ClusterOptions { Nodes = nodes, Voters = 50 };
        Assert.Equal((main, f), (options.MainBuddies, options.ToleratedFaults));
    }

    private static readonly Dictionary<string, (ClusterOptions Options, string Message)> s_refused = new()
    {
        ["one node"] = (new ClusterOptions { Nodes = 1 }, "--nodes 1: must be 2"),
        ["too many nodes"] = (new ClusterOptions { Nodes = 129 }, "--nodes 129"),
        ["no rounds"] = (new ClusterOptions { Rounds = 0 }, "--rounds 0"),
        ["too many voters"] = (new ClusterOptions { Voters = 1001 }, "--voters 1001: must be 0 … 1000"),
        ["negative voters"] = (new ClusterOptions { Voters = -1 }, "--voters -1"),
        ["short timeout"] = (new ClusterOptions { RoundTimeout = TimeSpan.FromMilliseconds(500) }, "--round-timeout 500ms: must be 1s … 10m"),
        ["more kills than f"] = (new ClusterOptions { KillBuddies = 5 }, "--kill-buddies 5: must be 0 … 4 (f of a committee of 13 main buddies from 24 nodes)"),
        ["more kills than f of 7"] = (new ClusterOptions { Nodes = 7, KillBuddies = 2 }, "--kill-buddies 2: must be 0 … 1"),
        ["all byzantine"] = (new ClusterOptions { Byzantine = 24 }, "--byzantine 24: must be 0 … 23"),
        ["restart alone"] = (new ClusterOptions { Restart = true }, "--restart brings killed nodes back"),
        ["two faults one round"] = (new ClusterOptions { Rounds = 1, KillBuddies = 1, KillSequencer = true, Restart = true }, "needs --rounds 2"),
        ["too many stay dead"] = (new ClusterOptions { KillBuddies = 4, KillSequencer = true }, "5 nodes would stay dead"),
        ["too many byzantine"] = (new ClusterOptions { Byzantine = 8 }, "leaves 16 of 24 validators honest and alive, not more than 2/3"),
        ["byzantine and kills"] = (new ClusterOptions { Byzantine = 4, KillBuddies = 4 }, "leaves 16 of 24"),
    };

    public static TheoryData<string> Refused() => [.. s_refused.Keys];

    [Theory]
    [MemberData(nameof(Refused))]
    public void OptionsThatCannotShowWhatTheyClaimAreRefused(string name)
    {
        var (options, message) = s_refused[name];
        var error = Assert.Throws<CommandFailedException>(options.Validate);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void FaultsWithinTheBoundsAreAccepted()
    {
        new ClusterOptions { KillBuddies = 4, Restart = true, KillSequencer = true }.Validate();
        new ClusterOptions { Nodes = 7, Rounds = 5, KillBuddies = 1 }.Validate();
        new ClusterOptions { Nodes = 7, Rounds = 5, Byzantine = 1 }.Validate();
        new ClusterOptions { Byzantine = 7 }.Validate();
        new ClusterOptions { Voters = 1000, Byzantine = 23 }.Validate();
    }

    [Fact]
    public void AShortRoundTimeoutScalesEveryWaitInsideTheRound()
    {
        var consensus = new ClusterOptions { RoundTimeout = TimeSpan.FromSeconds(1) }.Consensus();
        Assert.Null(consensus.Validate());
        Assert.Equal(TimeSpan.FromSeconds(1), consensus.ConsensusTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), consensus.ResultPullLead);
        Assert.Equal(TimeSpan.FromMilliseconds(200), consensus.VoteRequestTimeout);
        var defaults = new ClusterOptions().Consensus();
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.ResultPullLead);
        Assert.Equal(TimeSpan.FromSeconds(2), defaults.VoteRequestTimeout);
    }

    [Fact]
    public void FaultRoundsAreTheMiddleAndTheOneAfter()
    {
        Assert.Equal((1, 1), (new ClusterOptions { Rounds = 1 }.FaultRound, new ClusterOptions { Rounds = 1 }.SequencerKillRound));
        Assert.Equal((1, 2), (new ClusterOptions { Rounds = 2 }.FaultRound, new ClusterOptions { Rounds = 2 }.SequencerKillRound));
        Assert.Equal((3, 4), (new ClusterOptions { Rounds = 5 }.FaultRound, new ClusterOptions { Rounds = 5 }.SequencerKillRound));
        Assert.Equal([21, 22, 23], new ClusterOptions { Byzantine = 3 }.ByzantineNodes);
    }
}
