using System.Net.Http;
using System.Text.Json;

namespace Sequencer.Host.Tests.Node;

/// <summary>
/// <c>sequencer start</c> through the published native binary: networks written by <c>init</c> run unchanged, decide
/// rounds driven through the stdio control protocol, stop on SIGTERM or end of input, and keep their safety records
/// across a restart.
/// </summary>
public sealed class StartCommandTests
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Four_nodes_from_init_decide_a_proposed_round_and_report_it_through_the_control_protocol()
    {
        await using var network = LocalNetwork.Create(4);
        var nodes = await network.StartAllAsync("--trace-signed");
        for (var i = 0; i < nodes.Length; i++)
        {
            var ready = await nodes[i].WaitForAsync("ready");
            Assert.Equal(i, ready.GetProperty("index").GetInt32());
            Assert.Equal(nodes[i].ProcessId, ready.GetProperty("pid").GetInt32());
            Assert.Equal(network.BasePort + 4 + i, ready.GetProperty("metricsPort").GetInt32());
            Assert.Contains("/p2p/" + ready.GetProperty("peerId").GetString(), ready.GetProperty("addrs")[0].GetString());
            // "ready" is the first line, before any "peers" event.
            Assert.Equal("ready", nodes[i].Events[0].GetProperty("event").GetString());
        }

        var parent = LocalNetwork.Hex(0x00);
        var block = LocalNetwork.Hex(0x11);
        await nodes[0].SendAsync(LocalNetwork.Propose(1, parent, block));

        var committee = await nodes[0].WaitForAsync("committee");
        Assert.Equal(1UL, committee.GetProperty("height").GetUInt64());
        Assert.Equal(block, committee.GetProperty("block").GetString());
        var main = committee.GetProperty("main").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal([1, 2, 3], main.Order());
        Assert.Empty(committee.GetProperty("backups").EnumerateArray());

        var outcome = await nodes[0].WaitForAsync("outcome");
        Assert.Equal("accepted", outcome.GetProperty("outcome").GetString());
        Assert.Equal(block, outcome.GetProperty("block").GetString());
        Assert.Equal(3, outcome.GetProperty("signers").GetInt32());
        Assert.True(outcome.GetProperty("latencyMs").GetDouble() > 0);
        Assert.False(outcome.TryGetProperty("diagnosis", out _));
        // The committee is announced before the round's outcome.
        var kinds = nodes[0].Events.Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.True(kinds.IndexOf("committee") < kinds.IndexOf("outcome"));

        foreach (var node in nodes)
        {
            var certificate = await node.WaitForAsync("certificate");
            Assert.Equal((1UL, block, "accept"),
                (certificate.GetProperty("height").GetUInt64(), certificate.GetProperty("block").GetString(), certificate.GetProperty("value").GetString()));
            await node.SendAsync("""{"cmd":"decision","height":1}""");
            var decision = await node.WaitForAsync("decision", e => e.GetProperty("height").GetUInt64() == 1);
            Assert.Equal(("accepted", block), (decision.GetProperty("state").GetString(), decision.GetProperty("block").GetString()));
            await node.SendAsync("""{"cmd":"decision","height":2}""");
            var unknown = await node.WaitForAsync("decision", e => e.GetProperty("height").GetUInt64() == 2);
            Assert.Equal("unknown", unknown.GetProperty("state").GetString());
            Assert.False(unknown.TryGetProperty("block", out _));
        }

        // The trace: the sequencer's own vote (it is no member, so its vote left over the network), every traced vote
        // for this block with one digest per signer, and only members' attestations.
        await nodes[0].WaitForAsync("signed", e => e.GetProperty("kind").GetString() == "vote" && e.GetProperty("signer").GetInt32() == 0);
        var signed = nodes.SelectMany(n => n.EventsOf("signed")).ToList();
        Assert.All(signed, e => Assert.Equal((block, "accept"), (e.GetProperty("block").GetString(), e.GetProperty("value").GetString())));
        Assert.All(signed.GroupBy(e => (e.GetProperty("kind").GetString(), e.GetProperty("signer").GetInt32())),
            signer => Assert.Single(signer.Select(e => e.GetProperty("digest").GetString()).Distinct()));
        Assert.All(signed.Where(e => e.GetProperty("kind").GetString() == "attestation"), e => Assert.Contains(e.GetProperty("signer").GetInt32(), main));

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{network.BasePort + 4}/metrics");
        Assert.Contains("sequencer_rounds_total{outcome=\"accepted\"} 1", metrics);
        Assert.Contains("sequencer_rounds_total{outcome=\"timed_out\"} 0", metrics);
        Assert.Contains("sequencer_connected_peers 3", metrics);

        foreach (var node in nodes)
        {
            Assert.Equal(0, await node.CloseInputAsync());
            var last = node.Events[^1];
            Assert.Equal(("stopped", "stdin closed"), (last.GetProperty("event").GetString(), last.GetProperty("reason").GetString()));
            Assert.Empty(node.OtherLines);
        }
    }

    [Fact]
    public async Task Sigterm_stops_a_node_within_five_seconds_with_exit_code_0_and_a_stopped_line()
    {
        await using var network = LocalNetwork.Create(2);
        var nodes = await network.StartAllAsync();

        await nodes[1].TerminateAsync();

        Assert.Equal(0, await nodes[1].WaitForExitAsync(StopBound));
        var last = nodes[1].Events[^1];
        Assert.Equal(("stopped", "signal"), (last.GetProperty("event").GetString(), last.GetProperty("reason").GetString()));
        // The survivor notices the loss.
        await nodes[0].WaitForAsync("peers", e => e.GetProperty("connected").GetInt32() == 0);
        await nodes[0].SendAsync("""{"cmd":"stop"}""");
        Assert.Equal(0, await nodes[0].WaitForExitAsync(StopBound));
        Assert.Equal("stop command", nodes[0].Events[^1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_restarted_node_keeps_its_vote_and_refuses_to_sign_another_block_at_that_height()
    {
        await using var network = LocalNetwork.Create(4);
        const string timeout = "consensus.ConsensusTimeout=6s";
        var nodes = await network.StartAllAsync("--trace-signed", "--set", timeout);
        var parent = LocalNetwork.Hex(0x00);
        var first = LocalNetwork.Hex(0xa1);
        await nodes[0].SendAsync(LocalNetwork.Propose(1, parent, first));
        Assert.Equal("accepted", (await nodes[0].WaitForAsync("outcome")).GetProperty("outcome").GetString());
        var vote = await nodes[1].WaitForAsync("signed", e => IsVoteOf(e, 1));
        var votedDigest = vote.GetProperty("digest").GetString();

        await nodes[1].TerminateAsync();
        Assert.Equal(0, await nodes[1].WaitForExitAsync(StopBound));
        var restarted = network.Start(1, "--trace-signed", "--set", timeout);
        await LocalNetwork.ConnectedAsync(restarted, 3);

        // Its durable decision log survived the restart.
        await restarted.SendAsync("""{"cmd":"decision","height":1}""");
        var decision = await restarted.WaitForAsync("decision");
        Assert.Equal(("accepted", first), (decision.GetProperty("state").GetString(), decision.GetProperty("block").GetString()));

        // Another block at the same height: the restarted voter must not sign it (rule S1 from its safety store).
        var second = LocalNetwork.Hex(0xb2);
        await nodes[2].SendAsync(LocalNetwork.Propose(1, parent, second));
        var outcome = await nodes[2].WaitForAsync("outcome");
        Assert.Equal("timedOut", outcome.GetProperty("outcome").GetString());
        Assert.True(outcome.TryGetProperty("diagnosis", out _));
        Assert.False(outcome.TryGetProperty("signers", out _));

        Assert.All(restarted.EventsOf("signed").Where(e => IsVoteOf(e, 1)), e => Assert.Equal(votedDigest, e.GetProperty("digest").GetString()));
        Assert.Contains("signing refused", restarted.StandardError);
        Assert.Contains("AlreadyVoted", restarted.StandardError);
        // The second round never certified anything anywhere.
        foreach (var node in (ControlledNode[])[nodes[0], restarted, nodes[2], nodes[3]])
            Assert.DoesNotContain(node.EventsOf("certificate"), e => e.GetProperty("block").GetString() == second);
    }

    [Fact]
    public async Task An_equivocating_node_is_the_only_signer_with_two_votes_at_a_height_and_the_round_still_decides()
    {
        await using var network = LocalNetwork.Create(4);
        var nodes = new ControlledNode[4];
        for (var i = 0; i < 4; i++)
            nodes[i] = i == 3 ? network.Start(i, "--trace-signed", "--byzantine", "equivocate") : network.Start(i, "--trace-signed");
        foreach (var node in nodes)
            await LocalNetwork.ConnectedAsync(node, 3);

        await nodes[0].SendAsync(LocalNetwork.Propose(1, LocalNetwork.Hex(0), LocalNetwork.Hex(0x42)));
        var outcome = await nodes[0].WaitForAsync("outcome");
        // The equivocator's weight counts for neither value; the three honest votes are still more than 2/3 of it all.
        Assert.Equal("accepted", outcome.GetProperty("outcome").GetString());
        await nodes[3].WaitForAsync("signed", e => e.GetProperty("kind").GetString() == "vote" && e.GetProperty("value").GetString() == "reject");

        var doubleSigners = nodes.SelectMany(n => n.EventsOf("signed"))
            .Where(e => e.GetProperty("kind").GetString() == "vote" && e.GetProperty("height").GetUInt64() == 1)
            .GroupBy(e => e.GetProperty("signer").GetInt32())
            .Where(signer => signer.Select(e => e.GetProperty("digest").GetString()).Distinct().Count() > 1)
            .Select(signer => signer.Key);
        Assert.Equal([3], doubleSigners);
        Assert.Contains("BYZANTINE MODE", nodes[3].StandardError);
    }

    [Fact]
    public async Task Bad_control_input_yields_error_events_and_the_node_keeps_serving()
    {
        await using var network = LocalNetwork.Create(1);
        var node = network.Start(0);
        await node.WaitForAsync("ready");
        string[] bad =
        [
            "not json",
            "[1,2]",
            """{"cmd":"launch"}""",
            """{"height":3}""",
            """{"cmd":"decision"}""",
            """{"cmd":"decision","height":-1}""",
            """{"cmd":"propose","height":1,"parent":"00","block":"11"}""",
            """{"cmd":"propose","height":1,"block":"zz"}""",
            """{"cmd":"stop","extra":true}""",
            "{\"cmd\":\"decision\",\"height\":1,\"pad\":\"" + new string('x', 5000) + "\"}",
        ];
        foreach (var line in bad)
            await node.SendAsync(line);
        await node.SendAsync("""{"cmd":"decision","height":7}""");
        var decision = await node.WaitForAsync("decision");
        Assert.Equal("unknown", decision.GetProperty("state").GetString());
        var errors = node.EventsOf("error").ToList();
        Assert.Equal(bad.Length, errors.Count);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));

        // A command that cannot be carried out: a one-validator directory has nobody to draw a committee from.
        await node.SendAsync(LocalNetwork.Propose(1, LocalNetwork.Hex(0), LocalNetwork.Hex(1)));
        await node.WaitForAsync("error", e => e.GetProperty("message").GetString()!.StartsWith("propose height 1:", StringComparison.Ordinal));

        Assert.Equal(0, await node.CloseInputAsync());
        Assert.Equal("stopped", node.Events[^1].GetProperty("event").GetString());
        Assert.Empty(node.OtherLines);
    }

    [Theory]
    [InlineData("missing-config", "configuration: cannot read")]
    [InlineData("bad-setting", "consensus.MaxMainPeers = 99")]
    [InlineData("foreign-key", "is not in the directory")]
    [InlineData("data-dir-in-use", "data_dir")]
    public async Task A_bad_configuration_fails_with_a_clear_error_and_exit_code_1(string problem, string expected)
    {
        await using var network = LocalNetwork.Create(2);
        await using var holder = problem == "data-dir-in-use" ? network.Start(0) : null;
        if (holder is not null)
            await holder.WaitForAsync("ready");
        string[] arguments = problem switch
        {
            "missing-config" => ["start", "--config", Path.Combine(network.Root, "nowhere.toml")],
            "bad-setting" => ["start", "--config", network.ConfigOf(0), "--set", "consensus.MaxMainPeers=99"],
            // A validator key of another network is in no directory of this one.
            "foreign-key" => ["start", "--config", network.ConfigOf(0), "--set", $"validator_key={ForeignValidatorKey(network)}"],
            _ => ["start", "--config", network.ConfigOf(0), "--set", "listen=/ip4/127.0.0.1/tcp/0", "--set", "metrics.enabled=false"],
        };

        var result = NativeBinary.Instance.Run(arguments);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.StandardError);
        Assert.Contains(expected, result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    private static string ForeignValidatorKey(LocalNetwork network)
    {
        var other = Path.Combine(network.Root, "other");
        var init = NativeBinary.Instance.Run("init", "--dir", other, "--base-port", "7000");
        Assert.Equal(0, init.ExitCode);
        return Path.Combine(other, "validator.key");
    }

    private static bool IsVoteOf(JsonElement signed, int signer) =>
        signed.GetProperty("kind").GetString() == "vote" && signed.GetProperty("signer").GetInt32() == signer
        && signed.GetProperty("height").GetUInt64() == 1;
}
