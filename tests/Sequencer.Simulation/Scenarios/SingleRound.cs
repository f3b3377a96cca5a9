using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Nodes;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Scenarios;

/// <summary>
/// One round on a healthy simulated network of any size, built apart from running it so a benchmark can time the
/// round alone: every validator a live node, validator 0 the sequencer. The round's virtual latency is a pure function
/// of (validators, options, seed).
/// </summary>
public sealed class SingleRound
{
    private readonly SimulationScheduler _scheduler = new();
    private readonly List<SimulatedHost> _hosts = [];
    private readonly RunRecorder _recorder;
    private readonly ProposedBlock _block;
    private readonly CommitteeCache _committees = new();

    public SingleRound(ValidatorSet validators, ConsensusOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(validators);
        var master = new Random(seed);
        var network = new SimulatedNetwork(_scheduler, new Random(master.Next()));
        _recorder = new RunRecorder(_scheduler);
        for (var validator = 0; validator < validators.Count; validator++)
        {
            var index = validator;
            var host = new SimulatedHost(_scheduler, network, index, index, $"v{index}", master.Next(),
                start => new ConsensusProcess(start, validators, index, options, JudgingBlockValidator.AcceptAll,
                    _recorder.For(index), null, committeeCache: _committees));
            _hosts.Add(host);
            host.Start();
        }
        _scheduler.Run(_scheduler.Now);
        var blockHash = default(Hash32);
        master.NextBytes(blockHash);
        var parentHash = default(Hash32);
        master.NextBytes(parentHash);
        _block = new ProposedBlock(validators.Directory.ChainId, 1, parentHash, blockHash, new byte[32]);
    }

    /// <summary>What <c>StartAsync</c> returned, once <see cref="Run"/> called it.</summary>
    public Task<RoundOutcome>? OutcomeTask { get; private set; }

    /// <summary>Runs the round to its outcome (or its deadline) and reports it.</summary>
    public SingleRoundResult Run()
    {
        var sequencer = (ConsensusProcess)_hosts[0].Process!;
        var startedAt = _scheduler.Now;
        var startEvents = _scheduler.ExecutedEvents;
        _hosts[0].Scope!.Schedule(TimeSpan.Zero, TraceKind.Script, 0, () => OutcomeTask = sequencer.Node.Consensus.StartAsync(_block));
        _scheduler.Run(TimeSpan.MaxValue, () => _recorder.Outcomes.Count > 0);
        var outcome = _recorder.Outcomes.Count > 0 ? _recorder.Outcomes[0] : default;
        return new SingleRoundResult(outcome.Outcome, outcome.Time - startedAt, _scheduler.ExecutedEvents - startEvents, _scheduler.TraceHash);
    }
}

/// <param name="Outcome">The sequencer's outcome, or null if the run ended without one.</param>
/// <param name="VirtualLatency">From StartAsync to the outcome, in virtual time.</param>
public sealed record SingleRoundResult(RoundOutcome? Outcome, TimeSpan VirtualLatency, long Events, ulong TraceHash);
