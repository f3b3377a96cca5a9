using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sequencer.Host.Cluster;

/// <summary>
/// What a cluster run showed, and the verdict: the rounds, the latency percentiles of the decided ones, the faults the
/// cluster injected, and the double-signing scan. Printed as the table the README explains, and with <c>--json</c> as
/// one summary object.
/// </summary>
internal sealed record ClusterReport(
    ClusterOptions Options,
    IReadOnlyList<RoundRecord> Rounds,
    IReadOnlyList<int> KilledBuddies,
    int? KilledSequencer,
    IReadOnlyList<int> Restarted,
    long SignedEvents,
    int Signatures,
    IReadOnlyList<DoubleSigningScan.Evidence> DoubleSigners,
    SequencerKillCheck? KillCheck,
    IReadOnlyList<string> Problems,
    TimeSpan StartUp,
    TimeSpan Elapsed,
    ResourceSummary? Resources = null)
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public IReadOnlyList<int> Byzantine => [.. Options.ByzantineNodes];

    public LatencySummary Latency => LatencySummary.Of([.. Rounds.Where(r => r.Decided && r.LatencyMs is not null).Select(r => r.LatencyMs!.Value)]);

    /// <summary>Double-signers that were not started Byzantine: a safety violation.</summary>
    public IReadOnlyList<int> HonestDoubleSigners => [.. DoubleSigners.Select(e => e.Signer).Where(s => !Byzantine.Contains(s))];

    /// <summary>Byzantine nodes the scan did not catch (they may not have heard a vote request): reported, not a failure.</summary>
    public IReadOnlyList<int> UndetectedByzantine => [.. Byzantine.Where(b => DoubleSigners.All(e => e.Signer != b))];

    public int FailedRounds => Rounds.Count(r => r.Failed);

    public bool Ok => FailedRounds == 0 && HonestDoubleSigners.Count == 0 && (KillCheck?.Consistent ?? true) && Rounds.Count == Options.Rounds;

    public int Count(RoundResult result) => Rounds.Count(r => r.Result == result);

    /// <summary>One line per round while the cluster runs.</summary>
    public static string ProgressLine(RoundRecord round, int rounds)
    {
        var text = new StringBuilder();
        text.Append(s_invariant, $"round {round.Round,3}/{rounds}  height {round.Height,3}  sequencer node-{round.Sequencer,-3}  {Name(round.Result),-10}");
        text.Append(round.LatencyMs is { } latency ? string.Create(s_invariant, $"{latency,9:0.0} ms") : "        – ms");
        if (round.Signers is { } signers)
            text.Append(s_invariant, $"  attestations {signers}/{round.Committee?.ToString(s_invariant) ?? "?"}");
        if (round.Note is not null)
            text.Append("  ").Append(round.Note);
        return text.ToString();
    }

    public void WriteTable(TextWriter output)
    {
        var latency = Latency;
        var o = Options;
        output.WriteLine();
        output.WriteLine(string.Create(s_invariant,
            $"sequencer cluster: {o.Nodes} validator processes + {o.Voters} in-process voters, {Rounds.Count} of {o.Rounds} rounds, round timeout {Configuration.Duration.Format(o.RoundTimeout)}; start-up {StartUp.TotalSeconds:0.0} s, total {Elapsed.TotalSeconds:0.0} s"));
        output.WriteLine();
        output.WriteLine("                accepted  rejected  timed out  no outcome  failed");
        output.WriteLine(string.Create(s_invariant,
            $"outcomes        {Count(RoundResult.Accepted),8}  {Count(RoundResult.Rejected),8}  {Count(RoundResult.TimedOut),9}  {Count(RoundResult.NoOutcome),10}  {FailedRounds,6}"));
        output.WriteLine();
        output.WriteLine("                     p50       p90       p99       max");
        output.WriteLine(latency.Count == 0
            ? "latency (ms)           –         –         –         –   (no decided round)"
            : string.Create(s_invariant,
                $"latency (ms)    {latency.P50,8:0.0}  {latency.P90,8:0.0}  {latency.P99,8:0.0}  {latency.Max,8:0.0}   ({latency.Count} decided rounds, start to outcome at the sequencer)"));
        output.WriteLine();
        if (Resources is { } resources)
        {
            foreach (var line in ResourceLines(resources))
                output.WriteLine(line);
            output.WriteLine();
        }
        foreach (var line in FaultLines())
            output.WriteLine(line);
        output.WriteLine();
        output.WriteLine(ScanLine());
        if (KillCheck is { } check)
            output.WriteLine(KillCheckLine(check));
        foreach (var problem in Problems)
            output.WriteLine($"problem         {problem}");
        output.WriteLine();
        output.WriteLine(Ok
            ? "result          OK: every round that should decide decided, and no honest validator signed twice"
            : $"result          FAILED: {string.Join("; ", FailureReasons())}");
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        var latency = Latency;
        json.WriteBoolean("ok", Ok);
        json.WriteNumber("nodes", Options.Nodes);
        json.WriteNumber("voters", Options.Voters);
        json.WriteNumber("rounds", Rounds.Count);
        json.WriteNumber("accepted", Count(RoundResult.Accepted));
        json.WriteNumber("rejected", Count(RoundResult.Rejected));
        json.WriteNumber("timedOut", Count(RoundResult.TimedOut));
        json.WriteNumber("noOutcome", Count(RoundResult.NoOutcome));
        json.WriteNumber("failed", FailedRounds);
        json.WriteStartObject("latencyMs");
        json.WriteNumber("count", latency.Count);
        json.WriteNumber("p50", Math.Round(latency.P50, 3));
        json.WriteNumber("p90", Math.Round(latency.P90, 3));
        json.WriteNumber("p99", Math.Round(latency.P99, 3));
        json.WriteNumber("max", Math.Round(latency.Max, 3));
        json.WriteEndObject();
        if (Resources is { } resources)
        {
            json.WriteStartObject("resources");
            json.WriteNumber("binaryBytes", resources.BinaryBytes);
            json.WriteStartObject("startUpMs");
            json.WriteNumber("count", resources.StartUpMs.Count);
            json.WriteNumber("median", Math.Round(resources.StartUpMedianMs, 1));
            json.WriteNumber("max", Math.Round(resources.StartUpMaxMs, 1));
            json.WriteEndObject();
            json.WriteStartObject("nodeMemoryBytes");
            json.WriteNumber("count", resources.NodeMemory.Count);
            json.WriteNumber("rssMedian", resources.ResidentMedianBytes);
            json.WriteNumber("rssMax", resources.ResidentMaxBytes);
            json.WriteNumber("hwmMedian", resources.PeakMedianBytes);
            json.WriteNumber("hwmMax", resources.PeakMaxBytes);
            json.WriteEndObject();
            if (resources.Cluster is { } cluster)
            {
                json.WriteStartObject("clusterMemoryBytes");
                json.WriteNumber("rss", cluster.ResidentBytes);
                json.WriteNumber("hwm", cluster.PeakResidentBytes);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteStartObject("faults");
        WriteIndices(json, "killedBuddies", KilledBuddies);
        if (KilledBuddies.Count > 0)
            json.WriteNumber("killRound", Options.FaultRound);
        if (KilledSequencer is { } sequencer)
            json.WriteNumber("killedSequencer", sequencer);
        WriteIndices(json, "restarted", Restarted);
        WriteIndices(json, "byzantine", Byzantine);
        json.WriteEndObject();
        json.WriteNumber("signedEvents", SignedEvents);
        json.WriteNumber("signatures", Signatures);
        WriteIndices(json, "doubleSigners", [.. DoubleSigners.Select(e => e.Signer)]);
        WriteIndices(json, "honestDoubleSigners", HonestDoubleSigners);
        if (KillCheck is { } check)
        {
            json.WriteStartObject("sequencerKill");
            json.WriteNumber("height", check.Height);
            json.WriteBoolean("consistent", check.Consistent);
            json.WriteNumber("accepted", check.Count(NodeDecision.Accepted));
            json.WriteNumber("rejected", check.Count(NodeDecision.Rejected));
            json.WriteNumber("timedOut", check.Count(NodeDecision.TimedOut));
            json.WriteNumber("pending", check.Count(NodeDecision.Pending));
            json.WriteNumber("unknown", check.Count(NodeDecision.Unknown));
            json.WriteNumber("unanswered", check.Unanswered);
            json.WriteEndObject();
        }
        json.WriteStartArray("problems");
        foreach (var problem in Problems)
            json.WriteStringValue(problem);
        json.WriteEndArray();
        json.WriteStartArray("roundList");
        foreach (var round in Rounds)
        {
            json.WriteStartObject();
            json.WriteNumber("round", round.Round);
            json.WriteNumber("height", round.Height);
            json.WriteNumber("sequencer", round.Sequencer);
            json.WriteString("outcome", Name(round.Result));
            if (round.LatencyMs is { } ms)
                json.WriteNumber("latencyMs", Math.Round(ms, 3));
            if (round.Signers is { } signers)
                json.WriteNumber("signers", signers);
            if (round.Committee is { } committee)
                json.WriteNumber("committee", committee);
            json.WriteBoolean("shouldDecide", round.ShouldDecide);
            if (round.Note is not null)
                json.WriteString("note", round.Note);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    public static string Name(RoundResult result) => result switch
    {
        RoundResult.Accepted => "accepted",
        RoundResult.Rejected => "rejected",
        RoundResult.TimedOut => "timedOut",
        _ => "noOutcome",
    };

    private IEnumerable<string> ResourceLines(ResourceSummary resources)
    {
        static string Mb(double bytes) => string.Create(s_invariant, $"{bytes / (1024 * 1024):0.0} MB");
        yield return string.Create(s_invariant,
            $"binary          {Mb(resources.BinaryBytes)}; start-up to ready per node: median {resources.StartUpMedianMs:0} ms, max {resources.StartUpMaxMs:0} ms ({resources.StartUpMs.Count} starts)");
        yield return resources.NodeMemory.Count == 0
            ? "memory          – (no node's /proc/<pid>/status could be read)"
            : string.Create(s_invariant,
                $"memory          per node RSS median {Mb(resources.ResidentMedianBytes)}, max {Mb(resources.ResidentMaxBytes)}; peak (VmHWM) median {Mb(resources.PeakMedianBytes)}, max {Mb(resources.PeakMaxBytes)} ({resources.NodeMemory.Count} nodes, before stopping)");
        if (resources.Cluster is { } cluster)
            yield return $"                cluster process{(Options.Voters > 0 ? $" with {Options.Voters} in-process voters" : "")}: RSS {Mb(cluster.ResidentBytes)}, peak {Mb(cluster.PeakResidentBytes)}";
    }

    private IEnumerable<string> FaultLines()
    {
        var o = Options;
        var faults = new List<string>();
        if (o.KillBuddies > 0)
            faults.Add($"--kill-buddies {o.KillBuddies}: round {o.FaultRound}, SIGKILL right after its committee was drawn: {Nodes(KilledBuddies)}"
                + (o.Restart ? "; restarted from their data after the round" : "; they stay dead"));
        if (o.KillSequencer)
            faults.Add($"--kill-sequencer: round {o.SequencerKillRound}, its sequencer "
                + (KilledSequencer is { } s ? $"node-{s}" : "(not reached)") + " SIGKILLed after drawing the committee"
                + (o.Restart ? "; restarted after the round" : ""));
        if (o.Byzantine > 0)
            faults.Add($"--byzantine {o.Byzantine}: {Nodes(Byzantine)} sign both accept and reject for every vote request");
        if (faults.Count == 0)
            faults.Add("none injected");
        for (var i = 0; i < faults.Count; i++)
            yield return (i == 0 ? "faults          " : "                ") + faults[i];
    }

    private string ScanLine()
    {
        var found = DoubleSigners.Select(e => e.Signer).ToArray();
        var text = string.Create(s_invariant,
            $"double signing  {SignedEvents} signed messages seen, {Signatures} distinct (signer, kind, height): ");
        if (found.Length == 0)
            text += Byzantine.Count == 0 ? "no validator signed twice" : $"no double-signer found (Byzantine {Nodes(Byzantine)} went unseen)";
        else
        {
            text += $"double-signers {Nodes(found)}";
            text += HonestDoubleSigners.Count > 0
                ? $" — HONEST {Nodes(HonestDoubleSigners)}"
                : UndetectedByzantine.Count == 0 ? " = exactly the Byzantine nodes" : $", all Byzantine ({Nodes(UndetectedByzantine)} unseen)";
        }
        return text;
    }

    private static string KillCheckLine(SequencerKillCheck check) => string.Create(s_invariant,
        $"sequencer kill  height {check.Height}: {check.Count(NodeDecision.Accepted) + check.Count(NodeDecision.Rejected)} nodes hold a certificate, "
        + $"{check.Count(NodeDecision.TimedOut)} timedOut, {check.Count(NodeDecision.Unknown)} unknown, {check.Count(NodeDecision.Pending)} pending, "
        + $"{check.Unanswered} unanswered: {(check.Consistent ? "no two nodes disagree" : "NODES DISAGREE")}");

    private IEnumerable<string> FailureReasons()
    {
        if (Rounds.Count < Options.Rounds)
            yield return $"only {Rounds.Count} of {Options.Rounds} rounds ran";
        if (FailedRounds > 0)
            yield return $"{FailedRounds} rounds that should decide did not ({string.Join(", ", Rounds.Where(r => r.Failed).Select(r => r.Round))})";
        if (HonestDoubleSigners.Count > 0)
            yield return $"honest validators signed twice: {Nodes(HonestDoubleSigners)}";
        if (KillCheck is { Consistent: false })
            yield return $"nodes disagree about height {KillCheck.Height}";
    }

    private static string Nodes(IReadOnlyCollection<int> indices) =>
        indices.Count == 0 ? "none" : string.Join(", ", indices.Select(i => $"node-{i}"));

    private static void WriteIndices(Utf8JsonWriter json, string name, IEnumerable<int> indices)
    {
        json.WriteStartArray(name);
        foreach (var index in indices)
            json.WriteNumberValue(index);
        json.WriteEndArray();
    }
}
