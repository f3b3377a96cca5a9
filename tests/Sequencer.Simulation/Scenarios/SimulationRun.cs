using System.Buffers.Binary;
using System.Text;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Crypto;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;
using Sequencer.Simulation.Checking;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Nodes;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Scenarios;

/// <summary>
/// One schedule: a (scenario, seed) pair run to the end and judged. Every choice — keys and weights, who is Byzantine
/// or twinned, who sequences each height, when whom crashes, each message's fate — is drawn from one master
/// <see cref="Random"/> seeded with the seed, in a fixed order, so the run, its event trace and its verdict are a
/// pure function of the pair: a failing seed replays exactly.
/// </summary>
public sealed class SimulationRun : IDisposable
{
    public const ulong ChainId = 7;

    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private readonly Scenario _scenario;
    private readonly int _seed;
    private readonly Random _master;
    private readonly ValidatorSet _validators;
    private readonly SimulationScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly WireLedger _ledger = new();
    private readonly RunRecorder _recorder;
    private readonly List<SimulatedHost> _hosts = [];
    private readonly CommitteeCache _committees = new();
    private readonly Dictionary<int, ByzantineKind> _byzantine = [];
    private readonly HashSet<int> _twinned = [];
    private readonly HashSet<int> _rejecting = [];
    private readonly int _doubleProposer = -1;
    private readonly int[] _sequencers;
    private readonly ProposedBlock[] _blocks;
    private readonly ProposedBlock[] _alternatives;
    private readonly List<RoundRecord> _rounds = [];
    private readonly Dictionary<int, List<(TimeSpan Down, TimeSpan Up)>> _downtime = [];
    private readonly List<string> _crashPlan = [];
    private readonly IndependentVerifier _verifier;
    private int _nextHeight = 1;
    private int _startedHeights;

    private SimulationRun(Scenario scenario, int seed)
    {
        _scenario = scenario;
        _seed = seed;
        _master = new Random(seed);
        var weights = new ulong[scenario.Validators];
        for (var i = 0; i < weights.Length; i++)
            weights[i] = scenario.RandomWeights ? (ulong)_master.Next(1, 11) : 1;

        // Roles: a random order of the validators, handed out front to back.
        var order = Enumerable.Range(0, scenario.Validators).ToArray();
        _master.Shuffle(order);
        var next = 0;
        foreach (var kind in scenario.Byzantine)
            _byzantine[order[next++]] = kind;
        for (var i = 0; i < scenario.Twins; i++)
            _twinned.Add(order[next++]);
        if (scenario.DoubleProposals)
            _doubleProposer = order[next++];
        for (var i = 0; i < scenario.RejectingVoters; i++)
            _rejecting.Add(order[next++]);
        if (scenario.HeaviestByzantine && _byzantine.Count > 0)
        {
            // Byzantine weight B with 3·B < W = B + S (S the others' weight): B = ⌊(S − 1) / 2⌋, shared out.
            var others = weights.Where((_, v) => !_byzantine.ContainsKey(v)).Aggregate(0UL, (sum, w) => sum + w);
            var share = Math.Max(1, (others - 1) / 2 / (ulong)_byzantine.Count);
            foreach (var validator in _byzantine.Keys)
                weights[validator] = share;
        }
        _validators = ValidatorSet.Generate(new Random(_master.Next()), weights, ChainId);
        var hostCount = scenario.Validators + scenario.Twins;
        _network = new SimulatedNetwork(_scheduler, new Random(_master.Next()), scenario.Network.Build(new Random(_master.Next()), hostCount));
        _network.AddTap(_ledger);
        _verifier = new IndependentVerifier(_validators.Directory, scenario.Options.CommitteeSize);
        _recorder = new RunRecorder(_scheduler) { OnOutcome = OnOutcome };

        _sequencers = new int[scenario.Heights + 1];
        _blocks = new ProposedBlock[scenario.Heights + 1];
        _alternatives = new ProposedBlock[scenario.Heights + 1];
        var twoFaced = _byzantine.FirstOrDefault(b => b.Value == ByzantineKind.TwoFacedSequencer, new(-1, default)).Key;
        var parent = default(Hash32);
        for (var height = 1; height <= scenario.Heights; height++)
        {
            _sequencers[height] = twoFaced >= 0 ? twoFaced
                : _doubleProposer >= 0 ? _doubleProposer
                : PickSequencer();
            var valid = _master.NextDouble() >= scenario.InvalidBlockProbability;
            _blocks[height] = MakeBlock((ulong)height, parent, 0, valid);
            _alternatives[height] = MakeBlock((ulong)height, parent, 1, valid && !scenario.InvalidAlternatives);
            parent = _blocks[height].BlockHash;
        }

        for (var validator = 0; validator < scenario.Validators; validator++)
            _hosts.Add(CreateHost(_hosts.Count, validator, twin: false));
        foreach (var validator in _twinned.Order())
            _hosts.Add(CreateHost(_hosts.Count, validator, twin: true));
        PlanCrashes();
    }

    public static RunReport Execute(Scenario scenario, int seed)
    {
        using var run = new SimulationRun(scenario, seed);
        return run.Run();
    }

    public void Dispose() => _validators.Dispose();

    private bool IsHonest(int validator) =>
        !_byzantine.ContainsKey(validator) && !_twinned.Contains(validator) && validator != _doubleProposer;

    private bool IsHonestHost(int host) => host < _scenario.Validators && IsHonest(host);

    private int PickSequencer()
    {
        // Honest validators, and twinned ones (whose twin then proposes too): Twins is about one key in two places.
        var candidates = Enumerable.Range(0, _scenario.Validators)
            .Where(v => (IsHonest(v) || _twinned.Contains(v)) && !_rejecting.Contains(v))
            .ToArray();
        return candidates[_master.Next(candidates.Length)];
    }

    private ProposedBlock MakeBlock(ulong height, in Hash32 parent, byte variant, bool valid)
    {
        var summary = new byte[10];
        BinaryPrimitives.WriteUInt64BigEndian(summary, height);
        summary[8] = valid ? (byte)1 : (byte)0;
        summary[9] = variant;
        var material = new byte[4 + summary.Length];
        BinaryPrimitives.WriteInt32BigEndian(material, _seed);
        summary.CopyTo(material, 4);
        var hash = default(Hash32);
        Sha256.Hash(material, hash);
        return new ProposedBlock(ChainId, height, parent, hash, summary);
    }

    private SimulatedHost CreateHost(int hostId, int validator, bool twin)
    {
        var kind = _byzantine.TryGetValue(validator, out var k) ? k : (ByzantineKind?)null;
        var rejecting = _rejecting.Contains(validator);
        var host = new SimulatedHost(_scheduler, _network, hostId, validator, twin ? $"twin{validator}" : $"v{validator}", _master.Next(),
            start => new ConsensusProcess(start, _validators, validator, _scenario.Options,
                new JudgingBlockValidator(block =>
                {
                    var valid = block.Summary.Span[8] == 1;
                    // The second twin judges every block the other way, so the pair really does sign both.
                    return !rejecting && valid != twin ? Decision.Accept : Decision.Reject;
                }),
                _recorder.For(hostId), kind?.Create(),
                digest => _ledger.OnSigned(hostId, start.Incarnation, _scheduler.ExecutedEvents, digest), _committees));
        host.OnCrashed = OnCrashed;
        return host;
    }

    private void PlanCrashes()
    {
        var window = _scenario.ConcurrentHeights ? 1000 : 600 * _scenario.Heights;
        var eligible = _hosts.Where(h => IsHonestHost(h.HostId)
                && (_scenario.CrashSequencers || !_sequencers.Contains(h.ValidatorIndex)))
            .ToArray();
        if (eligible.Length == 0)
            return;
        for (var i = 0; i < _scenario.ScriptedCrashes; i++)
        {
            var victim = eligible[_master.Next(eligible.Length)];
            var at = TimeSpan.FromMilliseconds(_master.Next(0, window));
            _crashPlan.Add($"crash {victim} at {at.TotalMilliseconds:0} ms");
            _scheduler.Schedule(at, null, TraceKind.Script, (ulong)victim.HostId, victim.Crash);
        }
        for (var i = 0; i < _scenario.InjectedCrashes; i++)
        {
            var victim = eligible[_master.Next(eligible.Length)];
            var at = TimeSpan.FromMilliseconds(_master.Next(0, window));
            var point = _master.Next(2) == 0 ? SafetyCrashPoint.BeforeDurable : SafetyCrashPoint.AfterDurable;
            _crashPlan.Add($"arm {victim} {point} at {at.TotalMilliseconds:0} ms");
            _scheduler.Schedule(at, null, TraceKind.Script, (ulong)victim.HostId, () =>
            {
                if (victim.IsRunning)
                    victim.ArmSafetyCrash(point);
            });
        }
    }

    private void OnCrashed(SimulatedHost host)
    {
        var restartAfter = TimeSpan.FromMilliseconds(_master.Next(20, 1500));
        var down = _scheduler.Now;
        if (!_downtime.TryGetValue(host.HostId, out var intervals))
            _downtime[host.HostId] = intervals = [];
        intervals.Add((down, down + restartAfter));
        _scheduler.Schedule(restartAfter, null, TraceKind.Restart, (ulong)host.HostId, () =>
        {
            if (!host.IsRunning)
                host.Start();
        });
    }

    private RunReport Run()
    {
        foreach (var host in _hosts)
            host.Start();
        if (_scenario.ConcurrentHeights)
        {
            for (var height = 1; height <= _scenario.Heights; height++)
            {
                var h = height;
                _scheduler.Schedule(TimeSpan.FromMilliseconds(_master.Next(10, 200)), null, TraceKind.Script, (ulong)h, () => StartHeight(h));
            }
            _nextHeight = _scenario.Heights + 1;
        }
        else
        {
            ScheduleNextHeight(TimeSpan.FromMilliseconds(10));
        }

        var horizon = TimeSpan.FromMilliseconds(200) + (_scenario.ConsensusTimeout + TimeSpan.FromSeconds(2)) * _scenario.Heights;
        _scheduler.Run(horizon, AllRoundsOver);
        _scheduler.Run(_scheduler.Now + SettleTime);

        var violations = new List<InvariantViolation>();
        var checker = new SafetyChecker(_verifier, IsHonest, IsHonestHost);
        violations.AddRange(CheckSafety(checker));
        violations.AddRange(CheckLiveness());
        var counters = new Dictionary<string, int>(_recorder.Counters, StringComparer.Ordinal)
        {
            ["crashes"] = _hosts.Sum(h => h.CrashCount),
        };
        return new RunReport(_scenario, _seed, _scheduler.TraceHash, _scheduler.ExecutedEvents, _scheduler.Now, _rounds.ToArray(),
            violations, DescribeSetup(), $"{_network.Faults}; {_network.Statistics}", checker.Evidence!, counters);
    }

    private bool AllRoundsOver() =>
        _startedHeights == _scenario.Heights
        && _rounds.All(r => r.Outcome is not null || _scheduler.Now > r.Deadline + TimeSpan.FromSeconds(1));

    private void ScheduleNextHeight(TimeSpan after)
    {
        if (_nextHeight > _scenario.Heights)
            return;
        var height = _nextHeight++;
        _scheduler.Schedule(after, null, TraceKind.Script, (ulong)height, () => StartHeight(height));
        // If this height never reports (its sequencer died), the next one starts after its deadline anyway.
        _scheduler.Schedule(after + _scenario.ConsensusTimeout + TimeSpan.FromMilliseconds(500), null, TraceKind.Script, (ulong)height, () =>
        {
            if (_nextHeight == height + 1)
                ScheduleNextHeight(TimeSpan.Zero);
        });
    }

    private void StartHeight(int height)
    {
        _startedHeights++;
        var sequencer = _sequencers[height];
        if (sequencer == _doubleProposer)
        {
            // Either block may go first, and the second may come a while later (a voter that crashed in between meets
            // it after its restart).
            var alternativeFirst = _master.Next(2) == 0;
            var delay = TimeSpan.FromTicks(_master.NextInt64(_scenario.AlternativeDelay.Ticks + 1));
            var (first, second) = alternativeFirst ? (_alternatives[height], _blocks[height]) : (_blocks[height], _alternatives[height]);
            StartRound(_hosts[sequencer], first, isAlternative: alternativeFirst);
            _scheduler.Schedule(delay, null, TraceKind.Script, (ulong)height,
                () => StartRound(_hosts[sequencer], second, isAlternative: !alternativeFirst));
        }
        else
        {
            StartRound(_hosts[sequencer], _blocks[height], isAlternative: false);
        }
        if (_twinned.Contains(sequencer))
            StartRound(_hosts.First(h => h.ValidatorIndex == sequencer && h.HostId != sequencer), _alternatives[height], isAlternative: true);
    }

    private void StartRound(SimulatedHost host, ProposedBlock block, bool isAlternative)
    {
        var record = new RoundRecord(block, host.HostId, host.ValidatorIndex, _scheduler.Now, _scheduler.Now + _scenario.ConsensusTimeout, isAlternative);
        _rounds.Add(record);
        if (host.Process is ConsensusProcess process)
        {
            // The outcome is read from the node's observer (on its loop), not from the returned task, whose
            // continuations the engine runs asynchronously.
            host.Scope!.Schedule(TimeSpan.Zero, TraceKind.Script, block.Height, () => _ = process.Node.Consensus.StartAsync(block));
        }
    }

    private void OnOutcome(RunRecorder.RecordedOutcome recorded)
    {
        var record = _rounds.FirstOrDefault(r => r.Id == recorded.Outcome.Round && r.SequencerHost == recorded.Host && r.Outcome is null);
        if (record is null)
            return;
        record.Outcome = recorded.Outcome;
        record.DecidedAt = recorded.Time;
        if (!_scenario.ConcurrentHeights && !record.IsAlternative && _nextHeight == (int)record.Block.Height + 1)
            ScheduleNextHeight(TimeSpan.FromMilliseconds(_master.Next(1, 50)));
    }

    private IReadOnlyList<InvariantViolation> CheckSafety(SafetyChecker checker)
    {
        var certificates = new List<CertificateSource>();
        certificates.AddRange(SafetyChecker.HonestWireCertificates(_ledger, IsHonestHost));
        foreach (var host in _hosts.Where(h => IsHonestHost(h.HostId)))
        {
            foreach (var record in host.DecisionLog.ReadAll())
                AddCertificate(certificates, record.Certificate, $"decision log of {host}");
        }
        foreach (var round in _rounds)
        {
            if (IsHonestHost(round.SequencerHost) && round.Outcome is RoundOutcome.Accepted or RoundOutcome.Rejected)
            {
                var bytes = round.Outcome is RoundOutcome.Accepted accepted ? accepted.Certificate : ((RoundOutcome.Rejected)round.Outcome).Certificate;
                AddCertificate(certificates, bytes, $"outcome at host {round.SequencerHost}");
            }
        }
        return checker.Check(_ledger, certificates);
    }

    private static void AddCertificate(List<CertificateSource> certificates, ReadOnlyMemory<byte> bytes, string source)
    {
        // An honest node only keeps what decodes; anything else is itself a violation of "valid certificates".
        if (Certificate.TryDecode(new System.Buffers.ReadOnlySequence<byte>(bytes), out var certificate).IsOk)
            certificates.Add(new CertificateSource(certificate, source, true));
        else
            certificates.Add(new CertificateSource(default, $"{source} (undecodable)", true));
    }

    /// <summary>
    /// Liveness (ENGINE §6): with a healthy network, an honest sequencer and at most f faulty members of the committee
    /// (Byzantine, twinned, or down at some point of the round), and enough honest weight to reach a threshold, every
    /// round decides before its deadline. Every other round is exempt, and says why.
    /// </summary>
    private IEnumerable<InvariantViolation> CheckLiveness()
    {
        foreach (var round in _rounds)
        {
            round.LivenessExemption = LivenessExemption(round);
            if (round.LivenessExemption is not null)
                continue;
            if (round.Outcome is RoundOutcome.Accepted or RoundOutcome.Rejected && round.DecidedAt <= round.Deadline)
                continue;
            yield return new InvariantViolation("liveness",
                $"round at height {round.Block.Height} by validator {round.SequencerValidator} did not decide before its deadline: "
                + (round.Outcome is RoundOutcome.TimedOut timedOut ? timedOut.Diagnosis.ToString() : "no outcome"));
        }
    }

    private string? LivenessExemption(RoundRecord round)
    {
        if (round.IsAlternative)
            return "alternative proposal";
        if (!IsHonest(round.SequencerValidator))
            return "Byzantine sequencer";
        if (!_network.Faults.IsHealthyBetween(round.StartedAt, round.Deadline))
            return "unhealthy network";
        if (WasDown(round.SequencerHost, round))
            return "sequencer crashed";
        var proposal = _ledger.Proposals.FirstOrDefault(p => p.FromHost == round.SequencerHost && p.Message.Round == round.Id);
        if (proposal.Message.Round != round.Id)
            return null; // an honest, live sequencer on a healthy network must get as far as its proposal
        var committee = _verifier.CommitteeOf(round.Id, proposal.Message.DirectoryHash, proposal.Message.Committee);
        if (committee is null)
            return null;
        var faultyMembers = committee.Members.Count(m => IsFaulty(m.ValidatorIndex, round));
        if (faultyMembers > IndependentVerifier.Tolerance(committee.Count))
            return $"{faultyMembers} faulty of {committee.Count} members";
        ulong accept = 0, reject = 0, total = _validators.TotalWeight;
        for (var validator = 0; validator < _scenario.Validators; validator++)
        {
            if (IsFaulty(validator, round))
                continue;
            var valid = round.Block.Summary.Span[8] == 1;
            if (valid && !_rejecting.Contains(validator))
                accept += _validators.WeightOf(validator);
            else
                reject += _validators.WeightOf(validator);
        }
        if (!IndependentVerifier.IsAcceptWeight(accept, total) && reject * 3 < total)
            return $"honest live weight decides nothing (accept {accept}, reject {reject} of {total})";
        return null;
    }

    private bool IsFaulty(int validator, RoundRecord round) =>
        !IsHonest(validator) || WasDown(validator, round);

    private bool WasDown(int host, RoundRecord round) =>
        _downtime.TryGetValue(host, out var intervals)
        && intervals.Any(i => i.Down <= round.Deadline && i.Up >= round.StartedAt);

    private string DescribeSetup()
    {
        var text = new StringBuilder();
        text.Append("weights [").Append(string.Join(",", Enumerable.Range(0, _scenario.Validators).Select(_validators.WeightOf))).Append(']');
        foreach (var (validator, kind) in _byzantine.OrderBy(b => b.Key))
            text.Append($"; v{validator} {kind}");
        foreach (var validator in _twinned.Order())
            text.Append($"; v{validator} twinned");
        if (_doubleProposer >= 0)
            text.Append($"; v{_doubleProposer} double proposer");
        if (_rejecting.Count > 0)
            text.Append($"; rejecting [{string.Join(",", _rejecting.Order())}]");
        text.Append("; sequencers [").Append(string.Join(",", _sequencers.Skip(1))).Append(']');
        foreach (var line in _crashPlan)
            text.Append("; ").Append(line);
        return text.ToString();
    }
}
