using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Sequencer.Core.Consensus;
using Sequencer.Simulation.Nodes;
using Sequencer.Simulation.Scenarios;

namespace Sequencer.Benchmarks.Simulation;

/// <summary>
/// A whole round in the deterministic simulation (DESIGN §9): 13 main buddies (and 10 backups) and 100, 1,000 or
/// 10,000 voters, every one a real node — VRF, invitations, proposal, signed votes, the buddies' pipelines and CRDT
/// sync, attestations, the certificate — on one thread, inline verification. The time measured is the CPU cost of the
/// round; the "Virtual latency" column is the round's latency in the simulation's virtual time (1–10 ms links), taken
/// from the same deterministic run, so it is exact rather than measured. Baseline: the 100-voter round.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class RoundBenchmarks
{
    private const int Seed = 2025;

    private static readonly ConsensusOptions s_options = ConsensusOptions.Default;

    private ValidatorSet? _validators;
    private SingleRound? _round;

    [GlobalSetup(Target = nameof(Voters100))]
    public void Setup100() => _validators = Validators(100);

    [GlobalSetup(Target = nameof(Voters1000))]
    public void Setup1000() => _validators = Validators(1_000);

    [GlobalSetup(Target = nameof(Voters10000))]
    public void Setup10000() => _validators = Validators(10_000);

    [IterationSetup]
    public void BuildNetwork() => _round = new SingleRound(_validators!, s_options, Seed);

    [GlobalCleanup]
    public void Cleanup() => _validators?.Dispose();

    [Benchmark(Baseline = true, Description = "round, 13 buddies, 100 voters")]
    public SingleRoundResult Voters100() => _round!.Run();

    [Benchmark(Description = "round, 13 buddies, 1,000 voters")]
    public SingleRoundResult Voters1000() => _round!.Run();

    [Benchmark(Description = "round, 13 buddies, 10,000 voters")]
    public SingleRoundResult Voters10000() => _round!.Run();

    internal static ValidatorSet Validators(int count) =>
        ValidatorSet.Generate(new Random(Seed), Enumerable.Repeat(1UL, count).ToArray(), SimulationRun.ChainId);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new VirtualLatencyColumn());
    }

    /// <summary>Re-runs the benchmark's round once in the host process (deterministic: the same seed gives the same round).</summary>
    private sealed class VirtualLatencyColumn : IColumn
    {
        private readonly Dictionary<string, string> _cache = [];

        public string Id => nameof(VirtualLatencyColumn);

        public string ColumnName => "Virtual latency";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "The round's latency in virtual time, from StartAsync to the outcome, and its outcome";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
            if (_cache.TryGetValue(method, out var value))
                return value;
            var voters = method switch
            {
                nameof(Voters100) => 100,
                nameof(Voters1000) => 1_000,
                _ => 10_000,
            };
            using var validators = Validators(voters);
            var result = new SingleRound(validators, s_options, Seed).Run();
            value = $"{result.VirtualLatency.TotalMilliseconds:0.0} ms ({result.Outcome?.Value?.ToString() ?? "no outcome"}, {result.Events:N0} events)";
            _cache[method] = value;
            return value;
        }
    }
}
