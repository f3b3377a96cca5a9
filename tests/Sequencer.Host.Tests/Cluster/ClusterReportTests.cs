using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sequencer.Host.Cluster;

namespace Sequencer.Host.Tests.Cluster;

public sealed class ClusterReportTests
{
    private static RoundRecord Decided(int round, double latency) =>
        new(round, (ulong)round, round - 1, RoundResult.Accepted, latency, 9, 13, true, null);

    private static ClusterReport Report(ClusterOptions options, IReadOnlyList<RoundRecord> rounds, params DoubleSigningScan.Evidence[] doubleSigners) =>
        new(options, rounds, [], null, [], 1000, 200, doubleSigners, null, [], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));

    private static string Table(ClusterReport report)
    {
        var output = new StringWriter();
        report.WriteTable(output);
        return output.ToString();
    }

    private static JsonElement Json(ClusterReport report)
    {
        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            report.WriteJson(json);
            json.WriteEndObject();
        }
        return JsonDocument.Parse(stream.ToArray()).RootElement;
    }

    [Fact]
    public void ARunWhereEveryRoundDecidedIsOk()
    {
        var options = new ClusterOptions { Nodes = 7, Rounds = 4 };
        var report = Report(options, [Decided(1, 40), Decided(2, 10), Decided(3, 30), Decided(4, 20)]);
        Assert.True(report.Ok);
        Assert.Equal(new LatencySummary(4, 20, 40, 40, 40), report.Latency);
        var table = Table(report);
        Assert.Contains("outcomes               4         0          0           0       0", table);
        Assert.Contains("latency (ms)        20.0      40.0      40.0      40.0   (4 decided rounds", table);
        Assert.Contains("faults          none injected", table);
        Assert.Contains("no validator signed twice", table);
        Assert.Contains("result          OK", table);

        var json = Json(report);
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(4, json.GetProperty("accepted").GetInt32());
        Assert.Equal(20, json.GetProperty("latencyMs").GetProperty("p50").GetDouble());
        Assert.Equal(4, json.GetProperty("roundList").GetArrayLength());
        Assert.Equal("accepted", json.GetProperty("roundList")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public void ResourcesAppearInTheTableAndTheJson()
    {
        var options = new ClusterOptions { Nodes = 3, Rounds = 1, Voters = 10 };
        const long Mb = 1024 * 1024;
        var resources = new ResourceSummary(8 * Mb, [50, 70, 60],
            [new ProcessMemory(20 * Mb, 22 * Mb), new ProcessMemory(30 * Mb, 31 * Mb), new ProcessMemory(25 * Mb, 40 * Mb)],
            new ProcessMemory(100 * Mb, 120 * Mb));
        var report = new ClusterReport(options, [Decided(1, 10)], [], null, [], 0, 0, [], null, [], TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(2), resources);

        var table = Table(report);
        Assert.Contains("binary          8.0 MB; start-up to ready per node: median 60 ms, max 70 ms (3 starts)", table);
        Assert.Contains("per node RSS median 25.0 MB, max 30.0 MB; peak (VmHWM) median 31.0 MB, max 40.0 MB (3 nodes", table);
        Assert.Contains("cluster process with 10 in-process voters: RSS 100.0 MB, peak 120.0 MB", table);

        var json = Json(report).GetProperty("resources");
        Assert.Equal(8 * Mb, json.GetProperty("binaryBytes").GetInt64());
        Assert.Equal(60, json.GetProperty("startUpMs").GetProperty("median").GetDouble());
        Assert.Equal(70, json.GetProperty("startUpMs").GetProperty("max").GetDouble());
        Assert.Equal(25 * Mb, json.GetProperty("nodeMemoryBytes").GetProperty("rssMedian").GetDouble());
        Assert.Equal(40 * Mb, json.GetProperty("nodeMemoryBytes").GetProperty("hwmMax").GetDouble());
        Assert.Equal(120 * Mb, json.GetProperty("clusterMemoryBytes").GetProperty("hwm").GetInt64());
    }

    [Fact]
    public void ARoundThatShouldHaveDecidedFailsTheRunButAKilledSequencersRoundDoesNot()
    {
        var options = new ClusterOptions { Nodes = 7, Rounds = 3, KillSequencer = true };
        var killed = new RoundRecord(2, 2, 1, RoundResult.NoOutcome, null, null, 6, false, "sequencer killed");
        Assert.True(Report(options, [Decided(1, 5), killed, Decided(3, 5)]).Ok);

        var timedOut = new RoundRecord(3, 3, 2, RoundResult.TimedOut, 20_000, null, 6, true, "1 of 6 attested");
        var report = Report(options, [Decided(1, 5), killed, timedOut]);
        Assert.False(report.Ok);
        Assert.Contains("FAILED: 1 rounds that should decide did not (3)", Table(report));
        Assert.Equal(1, Json(report).GetProperty("failed").GetInt32());
        Assert.Equal(1, report.Latency.Count);
    }

    [Fact]
    public void OnlyAnHonestDoubleSignerFailsTheRun()
    {
        var options = new ClusterOptions { Nodes = 7, Rounds = 1, Byzantine = 1 };
        var byzantine = new DoubleSigningScan.Evidence(6, "vote", 1, "a", "b");
        var caught = Report(options, [Decided(1, 5)], byzantine);
        Assert.True(caught.Ok);
        Assert.Contains("double-signers node-6 = exactly the Byzantine nodes", Table(caught));
        Assert.Equal([6], Json(caught).GetProperty("doubleSigners").EnumerateArray().Select(e => e.GetInt32()));

        var honest = Report(options, [Decided(1, 5)], byzantine, new DoubleSigningScan.Evidence(2, "attestation", 1, "a", "b"));
        Assert.False(honest.Ok);
        Assert.Equal([2], honest.HonestDoubleSigners);
        Assert.Contains("HONEST node-2", Table(honest));

        var unseen = Report(options, [Decided(1, 5)]);
        Assert.True(unseen.Ok);
        Assert.Equal([6], unseen.UndetectedByzantine);
    }

    [Fact]
    public void DisagreementAfterAKilledSequencerFailsTheRun()
    {
        var options = new ClusterOptions { Nodes = 4, Rounds = 1, KillSequencer = true };
        var answers = new Dictionary<int, DecisionEvent?>
        {
            [1] = new(1, NodeDecision.Accepted, "aa"),
            [2] = new(1, NodeDecision.TimedOut, null),
            [3] = null,
        };
        var consistent = new SequencerKillCheck(1, 1, 0, answers);
        Assert.True(consistent.Consistent);
        Assert.Equal(1, consistent.Unanswered);
        answers[2] = new(1, NodeDecision.Accepted, "bb");
        var split = new SequencerKillCheck(1, 1, 0, answers);
        Assert.False(split.Consistent);
        var report = new ClusterReport(options, [new RoundRecord(1, 1, 0, RoundResult.NoOutcome, null, null, 3, false, null)],
            [], 0, [], 0, 0, [], split, [], TimeSpan.Zero, TimeSpan.Zero);
        Assert.False(report.Ok);
        Assert.Contains("NODES DISAGREE", Table(report));
        Assert.False(Json(report).GetProperty("sequencerKill").GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public void TheProgressLineNamesRoundSequencerOutcomeLatencyAndAttestations()
    {
        Assert.Equal("round   3/10  height   3  sequencer node-2    accepted       12.3 ms  attestations 9/13",
            ClusterReport.ProgressLine(Decided(3, 12.34), 10));
        Assert.Equal("round   1/10  height   1  sequencer node-0    noOutcome         – ms  sequencer killed",
            ClusterReport.ProgressLine(new RoundRecord(1, 1, 0, RoundResult.NoOutcome, null, null, 13, false, "sequencer killed"), 10));
    }
}
