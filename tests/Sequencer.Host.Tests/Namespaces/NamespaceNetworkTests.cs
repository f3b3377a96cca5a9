using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sequencer.Host.Tests.Node;
using Xunit.Abstractions;

namespace Sequencer.Host.Tests.Namespaces;

/// <summary>
/// Two groups of native nodes in two network namespaces, joined only by a veth link: consensus across two real network
/// stacks, and what happens when the link between them is cut and restored. Where namespaces are not available the same
/// scenario runs on two loopback addresses, the cut being side B's processes frozen (see <see cref="TwoSides"/>); the
/// test's output says which mode ran.
/// </summary>
public sealed class NamespaceNetworkTests(ITestOutputHelper output)
{
    /// <summary>Nodes 0 … 3 live on side A, nodes 4 and 5 on side B: A holds 4/6 of the weight, not more than 2/3.</summary>
    private const int Validators = 6;
    private const int SideASize = 4;

    /// <summary>The weight <c>sequencer init</c> gives every validator.</summary>
    private const int Weight = 100;

    // A short deadline keeps the cut round short; the allowed clock skew bounds how long after it a participant still
    // says "pending" (all nodes share this machine's clock).
    private static readonly string[] Settings =
        ["--set", "consensus.ConsensusTimeout=8s", "--set", "consensus.MaximumClockSkew=1s"];

    [Fact]
    public async Task Two_groups_on_separate_network_paths_decide_across_them_and_decide_nothing_while_the_path_is_cut()
    {
        using var sides = TwoSides.Create();
        output.WriteLine(sides.Description);
        await using var network = LocalNetwork.Create(Validators);
        static bool OnA(int index) => index < SideASize;
        for (var i = 0; i < Validators; i++)
            network.Relocate(i, sides.AddressOf(OnA(i)));

        var nodes = new ControlledNode[Validators];
        for (var i = 0; i < Validators; i++)
            nodes[i] = network.Start(i, sides.LauncherOf(OnA(i)), Settings);
        foreach (var node in nodes)
            await LocalNetwork.ConnectedAsync(node, Validators - 1);
        for (var i = 0; i < Validators; i++)
        {
            // Each listens on its own side's address only; with namespaces loopback is private to each, so every
            // connection between the groups crossed the link.
            var ready = await nodes[i].WaitForAsync("ready");
            Assert.Equal(nodes[i].ProcessId, ready.GetProperty("pid").GetInt32());
            Assert.All(ready.GetProperty("addrs").EnumerateArray(),
                address => Assert.StartsWith($"/ip4/{sides.AddressOf(OnA(i))}/tcp/{network.BasePort + i}/p2p/", address.GetString()));
        }

        // Connected: a round proposed on side A, then one on side B, each certified at every node of both groups.
        var sentBefore = sides.BytesSentByA();
        var block1 = LocalNetwork.Hex(0x11);
        await DecideAsync(nodes, proposer: 0, height: 1, LocalNetwork.Hex(0x00), block1);
        var block2 = LocalNetwork.Hex(0x22);
        await DecideAsync(nodes, proposer: SideASize, height: 2, block1, block2);
        if (sentBefore is { } before)
            Assert.True(sides.BytesSentByA() > before, "the rounds sent nothing over the link");

        // Cut: each side proposes its own block at height 3 (side B only if it still runs). Neither side holds more
        // than 2/3 of the weight, so neither may decide; every running node took part (all others are main buddies of
        // a six-validator committee) and times out.
        var sideB = nodes[SideASize..];
        sides.Cut(sideB);
        var blockA = LocalNetwork.Hex(0xa3);
        var blockB = LocalNetwork.Hex(0xb3);
        await nodes[0].SendAsync(LocalNetwork.Propose(3, block2, blockA));
        if (sides.SideBRunsWhileCut)
            await nodes[SideASize].SendAsync(LocalNetwork.Propose(3, block2, blockB));
        var outcomeA = await nodes[0].WaitForAsync("outcome", e => HeightOf(e) == 3);
        Assert.Equal("timedOut", outcomeA.GetProperty("outcome").GetString());
        if (sides.SideBRunsWhileCut)
        {
            var outcomeB = await nodes[SideASize].WaitForAsync("outcome", e => HeightOf(e) == 3);
            Assert.Equal("timedOut", outcomeB.GetProperty("outcome").GetString());
            // Each side's buddies counted at most its own side's votes (fewer when a voter's fan-out tried buddies
            // across the link first): nothing crossed the cut link.
            Assert.InRange(CountedVoteWeight(outcomeA), 0, SideASize * Weight);
            Assert.InRange(CountedVoteWeight(outcomeB), 0, (Validators - SideASize) * Weight);
        }
        foreach (var node in sides.SideBRunsWhileCut ? nodes : nodes[..SideASize])
            Assert.Equal("timedOut", await SettledStateAsync(node, 3));

        // Restored: once every node counts all others connected again (a cut this short may leave the TCP connections
        // standing, to resume by retransmission), a round from side B decides everywhere.
        sides.Restore();
        foreach (var node in nodes)
            await node.WaitForLatestAsync("peers", e => e.GetProperty("connected").GetInt32() == Validators - 1);
        var block4 = LocalNetwork.Hex(0x44);
        await DecideAsync(nodes, proposer: Validators - 1, height: 4, block2, block4);

        // Nothing was ever certified at the cut height, by either side's proposal.
        foreach (var node in nodes)
        {
            Assert.DoesNotContain(node.EventsOf("certificate"), e => HeightOf(e) == 3);
            Assert.Equal(0, await node.CloseInputAsync());
            Assert.Empty(node.OtherLines);
        }
    }

    private static async Task DecideAsync(ControlledNode[] nodes, int proposer, ulong height, string parent, string block)
    {
        await nodes[proposer].SendAsync(LocalNetwork.Propose(height, parent, block));
        var outcome = await nodes[proposer].WaitForAsync("outcome", e => HeightOf(e) == height);
        Assert.True(outcome.GetProperty("outcome").GetString() == "accepted", $"height {height}: {outcome.GetRawText()}");
        foreach (var node in nodes)
        {
            var certificate = await node.WaitForAsync("certificate", e => HeightOf(e) == height);
            Assert.Equal((block, "accept"), (certificate.GetProperty("block").GetString(), certificate.GetProperty("value").GetString()));
            await node.SendAsync(DecisionQuery(height));
            var decision = await node.WaitForAsync("decision", e => HeightOf(e) == height);
            Assert.Equal(("accepted", block), (decision.GetProperty("state").GetString(), decision.GetProperty("block").GetString()));
        }
    }

    /// <summary>
    /// The node's answer for <paramref name="height"/> once it is no longer "pending" (a participant says pending until
    /// its own bound on the round's deadline has passed).
    /// </summary>
    private static async Task<string> SettledStateAsync(ControlledNode node, ulong height)
    {
        using var guard = new CancellationTokenSource(ControlledNode.Guard);
        while (true)
        {
            var from = node.Events.Count;
            await node.SendAsync(DecisionQuery(height));
            var state = (await node.WaitForAsync(from, "decision", e => HeightOf(e) == height)).GetProperty("state").GetString()!;
            if (state != "pending")
                return state;
            await Task.Delay(TimeSpan.FromMilliseconds(250), guard.Token);
        }
    }

    /// <summary>The vote weight a timed-out round's buddies reported, from the diagnosis ("… weight W of T").</summary>
    private static int CountedVoteWeight(JsonElement outcome)
    {
        var diagnosis = outcome.GetProperty("diagnosis").GetString()!;
        var match = Regex.Match(diagnosis, @"weight (\d+) of (\d+)");
        Assert.True(match.Success, $"no vote weight in the diagnosis: {diagnosis}");
        Assert.Equal(Validators * Weight, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string DecisionQuery(ulong height) => $$"""{"cmd":"decision","height":{{height}}}""";

    private static ulong HeightOf(JsonElement e) => e.GetProperty("height").GetUInt64();
}
