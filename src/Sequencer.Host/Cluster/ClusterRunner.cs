using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Sequencer.Core.Identity;
using Sequencer.Core.Primitives;
using Sequencer.Host.Commands;
using Sequencer.Host.Configuration;

namespace Sequencer.Host.Cluster;

/// <summary>
/// <c>sequencer cluster</c>'s work (NODE.md §3): writes a local network, starts every validator as a child process,
/// drives rounds in turn, injects the faults asked for, and gathers what the <see cref="ClusterReport"/> shows.
/// </summary>
/// <remarks>
/// <para>Every wait is on an event from a node, bounded by a timeout derived from the round timeout; a node that exits
/// fails the waits on it at once. The proposer of height h is node (h − 1) mod nodes, or the next live one.</para>
/// <para>Clean-up is unconditional: <see cref="DisposeAsync"/> closes every child's stdin (their graceful stop) and
/// SIGKILLs what has not exited after the grace period; a handler on process exit SIGKILLs anything still running if
/// the cluster itself is torn down first. And a child whose parent vanished sees its stdin end and stops by itself.</para>
/// </remarks>
internal sealed class ClusterRunner : IAsyncDisposable
{
    /// <summary>How long a node may take from exec to <c>ready</c> (24 nodes start at once on two cores).</summary>
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long the network may take to connect fully once every node is ready.</summary>
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Beyond the round timeout: how long a sequencer may take to report the outcome it must report at the deadline.</summary>
    private static readonly TimeSpan s_outcomeGrace = TimeSpan.FromSeconds(10);

    private readonly ClusterOptions _options;
    private readonly TextWriter _progress;
    private readonly string _executable;
    private readonly DoubleSigningScan _scan = new();
    private readonly List<string> _problems = [];
    private readonly Lock _gate = new();
    private readonly NodeProcess?[] _nodes;
    private readonly List<NodeProcess> _everyProcess = [];
    private readonly HashSet<int> _killed = [];
    private readonly ArrayBufferWriter<byte> _command = new();
    private string? _root;
    private bool _ownsRoot;
    private InitCommand.InitResult? _network;
    private InProcessVoters? _voters;

    public const string VotersLogFileName = "voters.log";

    public ClusterRunner(ClusterOptions options, TextWriter progress, string executable)
    {
        _options = options;
        _progress = progress;
        _executable = executable;
        _nodes = new NodeProcess?[options.Nodes];
        AppDomain.CurrentDomain.ProcessExit += KillEverything;
    }

    /// <summary>The network's directory, once written.</summary>
    public string? Root => _root;

    public async Task<ClusterReport> RunAsync(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        WriteNetwork();
        Progress($"network: {_options.Nodes} validators{(_options.Voters > 0 ? $" + {_options.Voters} voter-only" : "")} in {_root}; starting {_options.Nodes} node processes");
        for (var index = 0; index < _options.Nodes; index++)
            StartNode(index);
        await WaitReadyAsync(Enumerable.Range(0, _options.Nodes), cancellation).ConfigureAwait(false);
        await WaitConnectedAsync(Enumerable.Range(0, _options.Nodes), cancellation).ConfigureAwait(false);
        if (_options.Voters > 0)
        {
            Progress($"starting {_options.Voters} in-process voters (log: {Path.Combine(_root!, VotersLogFileName)})");
            _voters = await InProcessVoters.StartAsync(_network!, _options.Nodes, Path.Combine(_root!, VotersLogFileName), cancellation).ConfigureAwait(false);
            // A voter's connections: the ones it keeps, or more when a node dialled it first (none do: it is voter-only).
            var timeout = s_connectTimeout + TimeSpan.FromMilliseconds(100) * _options.Voters;
            await _voters.WaitConnectedAsync(Math.Min(InProcessVoters.KeptConnections, _options.Nodes), timeout, cancellation).ConfigureAwait(false);
        }
        var startUp = clock.Elapsed;
        Progress(string.Create(CultureInfo.InvariantCulture, $"ready: every node listening and connected to every other after {startUp.TotalSeconds:0.0} s"));

        var rounds = new List<RoundRecord>();
        var killedBuddies = new List<int>();
        var restarted = new List<int>();
        int? killedSequencer = null;
        SequencerKillCheck? killCheck = null;
        var parent = ClusterChain.Genesis;
        for (var round = 1; round <= _options.Rounds; round++)
        {
            cancellation.ThrowIfCancellationRequested();
            var height = (ulong)round;
            var block = ClusterChain.BlockAt(height, parent);
            var sequencer = ProposerFor(height);
            if (sequencer < 0)
            {
                _problems.Add($"no live node left to propose height {height}");
                break;
            }
            var killBuddies = _options.KillBuddies > 0 && round == _options.FaultRound;
            var killSequencer = _options.KillSequencer && round == _options.SequencerKillRound;
            var (record, victims, check) = await DriveRoundAsync(round, height, parent, block, sequencer, killBuddies, killSequencer, cancellation)
                .ConfigureAwait(false);
            rounds.Add(record);
            Progress(ClusterReport.ProgressLine(record, _options.Rounds));
            if (killBuddies)
                killedBuddies.AddRange(victims);
            if (killSequencer)
            {
                killedSequencer = sequencer;
                killCheck = check;
            }
            if (_options.Restart && (killBuddies || killSequencer))
            {
                var back = victims.Concat(killSequencer ? [sequencer] : []).ToArray();
                await RestartAsync(back, cancellation).ConfigureAwait(false);
                restarted.AddRange(back);
            }
            parent = block;
        }

        // Memory is read while every node (and voter) still runs, after the last round: what a node costs at work.
        var resources = MeasureResources();
        // Stop every node now, gracefully, so that every event they wrote (the last signed messages above all) is read
        // before the scan is reported.
        await StopVotersAsync().ConfigureAwait(false);
        await StopAllAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        lock (_gate)
        {
            return new ClusterReport(_options, rounds, killedBuddies, killedSequencer, restarted, _scan.Events, _scan.Signatures,
                _scan.DoubleSigners(), killCheck, [.. _problems], startUp, clock.Elapsed, resources);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopVotersAsync().ConfigureAwait(false);
            await StopAllAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= KillEverything;
            if (_ownsRoot && !_options.Keep && _root is not null)
            {
                try
                {
                    Directory.Delete(_root, recursive: true);
                }
                catch (IOException)
                {
                    // A file still held open by a dying child: the temporary directory is left for the system to clean.
                }
            }
        }
    }

    private async Task StopVotersAsync()
    {
        var voters = Interlocked.Exchange(ref _voters, null);
        if (voters is not null)
            await voters.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Graceful stop of every child still running, in parallel; SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAllAsync(TimeSpan grace)
    {
        NodeProcess[] all;
        lock (_gate)
            all = [.. _everyProcess];
        var stops = all.Select(async node =>
        {
            if (node.HasExited)
                return;
            var clean = await node.StopAsync(grace).ConfigureAwait(false);
            if (!clean)
                AddProblem($"node {node.Index} did not stop within {grace.TotalSeconds:0.#} s of its stdin closing and was killed");
        });
        await Task.WhenAll(stops).ConfigureAwait(false);
    }

    private ResourceSummary MeasureResources()
    {
        NodeProcess[] all;
        lock (_gate)
            all = [.. _everyProcess];
        var startUps = new List<double>();
        var memory = new List<ProcessMemory>();
        foreach (var node in all)
        {
            if (node.StartUpTime is { } startUp)
                startUps.Add(startUp.TotalMilliseconds);
            if (!node.HasExited && ProcessMemory.TryRead(node.ProcessId, out var used))
                memory.Add(used);
        }
        long binary = 0;
        try
        {
            binary = new FileInfo(_executable).Length;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Unknown size: reported as 0.
        }
        return new ResourceSummary(binary, startUps, memory, ProcessMemory.TryReadSelf(out var own) ? own : null);
    }

    private void WriteNetwork()
    {
        if (_options.Directory is { } directory)
        {
            _root = Path.GetFullPath(directory);
        }
        else
        {
            _root = Directory.CreateTempSubdirectory("sequencer-cluster-").FullName;
            _ownsRoot = true;
        }
        var total = _options.Nodes + _options.Voters;
        var template = NodeConfiguration.Default with
        {
            Consensus = _options.Consensus(),
            MetricsEnabled = true,
        };
        var plan = new InitCommand.NetworkPlan(FreePorts.Allocate(total), new int[total], _options.Voters, ChainId: 1, KeyType.Ed25519, template);
        _network = InitCommand.Write(_root, plan);
    }

    private string NodeDirectory(int index) => Path.GetDirectoryName(_network!.Nodes[index].ConfigPath)!;

    private void StartNode(int index)
    {
        var arguments = new List<string> { "start", "--config", _network!.Nodes[index].ConfigPath, "--control", "stdio", "--trace-signed" };
        if (_options.ByzantineNodes.Contains(index))
            arguments.AddRange(["--byzantine", "equivocate"]);
        var node = NodeProcess.Start(index, _executable, arguments, Path.Combine(NodeDirectory(index), "node.log"), OnEvent, OnProtocolError);
        lock (_gate)
        {
            _nodes[index] = node;
            _everyProcess.Add(node);
        }
    }

    private void OnEvent(NodeProcess node, ControlEvent controlEvent)
    {
        switch (controlEvent)
        {
            case SignedEvent signed:
                _scan.Add(signed);
                break;
            case ErrorEvent error:
                AddProblem($"node {node.Index} reported an error: {error.Message}");
                break;
        }
    }

    private void OnProtocolError(NodeProcess node, string message) => AddProblem($"node {node.Index} wrote a bad control line: {message}");

    private void AddProblem(string problem)
    {
        lock (_gate)
        {
            // A misbehaving node could repeat itself for every line: the report keeps the first few.
            if (_problems.Count < 20)
                _problems.Add(problem);
        }
    }

    private NodeProcess Node(int index) => _nodes[index] ?? throw new InvalidOperationException($"node {index} was never started");

    private bool IsLive(int index) => _nodes[index] is { HasExited: false } && !_killed.Contains(index);

    private int ProposerFor(ulong height)
    {
        var first = (int)((height - 1) % (ulong)_options.Nodes);
        for (var step = 0; step < _options.Nodes; step++)
        {
            var candidate = (first + step) % _options.Nodes;
            if (IsLive(candidate))
                return candidate;
        }
        return -1;
    }

    private async Task WaitReadyAsync(IEnumerable<int> indices, CancellationToken cancellation)
    {
        var waits = indices.Select(async index =>
        {
            var node = Node(index);
            var ready = node.ObserveAsync<ReadyEvent>(_ => true, s_readyTimeout, "ready", cancellation);
            var event_ = node.Ready ?? await ready.ConfigureAwait(false);
            if (event_.Index != index)
                throw new InvalidOperationException($"node {index} says it is validator {event_.Index}: its config and the directory disagree");
        }).ToArray();
        await WhenAllOrFirstFailure(waits).ConfigureAwait(false);
    }

    /// <summary>Waits until each node in <paramref name="indices"/> is connected to every other live process node.</summary>
    private async Task WaitConnectedAsync(IEnumerable<int> indices, CancellationToken cancellation)
    {
        var waits = indices.Select(async index =>
        {
            var node = Node(index);
            var wanted = Enumerable.Range(0, _options.Nodes).Count(i => i != index && IsLive(i));
            var connected = node.ObserveAsync<PeersEvent>(p => p.Connected >= wanted, s_connectTimeout, $"{wanted} connected peers", cancellation);
            if (node.Connected >= wanted)
                return;
            await connected.ConfigureAwait(false);
        }).ToArray();
        await WhenAllOrFirstFailure(waits).ConfigureAwait(false);
    }

    private async Task<(RoundRecord Record, IReadOnlyList<int> Victims, SequencerKillCheck? Check)> DriveRoundAsync(
        int round, ulong height, Hash32 parent, Hash32 block, int sequencer, bool killBuddies, bool killSequencer,
        CancellationToken cancellation)
    {
        var node = Node(sequencer);
        var blockHex = block.ToString();
        var outcomeWait = _options.RoundTimeout + s_outcomeGrace;
        var committeeTask = node.ObserveAsync<CommitteeEvent>(c => c.Height == height && c.Block == blockHex, outcomeWait, $"the committee of height {height}", cancellation);
        var outcomeTask = node.ObserveAsync<OutcomeEvent>(o => o.Height == height && o.Block == blockHex, outcomeWait, $"the outcome of height {height}", cancellation);
        var errorTask = node.ObserveAsync<ErrorEvent>(_ => true, outcomeWait, "an error", cancellation);
        var started = Stopwatch.StartNew();
        if (!Send(node, w => ControlProtocol.WritePropose(w, height, parent, block)))
            return (new RoundRecord(round, height, sequencer, RoundResult.NoOutcome, null, null, null, true, "the sequencer could not be reached"), [], null);

        CommitteeEvent committee;
        try
        {
            var first = await Task.WhenAny(committeeTask, errorTask).ConfigureAwait(false);
            if (first == errorTask && errorTask.IsCompletedSuccessfully)
                return (new RoundRecord(round, height, sequencer, RoundResult.NoOutcome, null, null, null, true, $"refused: {errorTask.Result.Message}"), [], null);
            committee = await committeeTask.ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or NodeExitedException)
        {
            Observe(outcomeTask, errorTask);
            return (new RoundRecord(round, height, sequencer, RoundResult.NoOutcome, null, null, null, !killSequencer, error.Message), [], null);
        }
        Observe(errorTask);

        var victims = new List<int>();
        string? note = null;
        if (killBuddies)
        {
            // Honest main buddies only: killing a Byzantine one would make the fault look smaller than asked.
            foreach (var buddy in committee.Main)
            {
                if (victims.Count == _options.KillBuddies)
                    break;
                if (buddy < _options.Nodes && buddy != sequencer && IsLive(buddy) && !_options.ByzantineNodes.Contains(buddy))
                {
                    Kill(buddy);
                    victims.Add(buddy);
                }
            }
            note = $"killed buddies {string.Join(", ", victims.Select(v => $"node-{v}"))}";
        }
        if (killSequencer)
        {
            Kill(sequencer);
            Observe(outcomeTask);
            var check = await CheckDecisionsAfterDeadlineAsync(round, height, sequencer, started, cancellation).ConfigureAwait(false);
            var summary = check.Consistent ? "no two nodes disagree" : "NODES DISAGREE";
            return (new RoundRecord(round, height, sequencer, RoundResult.NoOutcome, null, null, committee.Main.Count, false,
                $"sequencer killed; {summary}"), victims, check);
        }

        try
        {
            var outcome = await outcomeTask.ConfigureAwait(false);
            var result = outcome.Outcome switch
            {
                RoundOutcomeKind.Accepted => RoundResult.Accepted,
                RoundOutcomeKind.Rejected => RoundResult.Rejected,
                _ => RoundResult.TimedOut,
            };
            if (outcome.Diagnosis is { } diagnosis)
                note = note is null ? diagnosis : $"{note}; {diagnosis}";
            return (new RoundRecord(round, height, sequencer, result, outcome.LatencyMs, outcome.Signers, committee.Main.Count, true, note), victims, null);
        }
        catch (Exception error) when (error is TimeoutException or NodeExitedException)
        {
            return (new RoundRecord(round, height, sequencer, RoundResult.NoOutcome, null, null, committee.Main.Count, true, error.Message), victims, null);
        }
    }

    /// <summary>
    /// After a killed sequencer's round: asks every live node what it holds for <paramref name="height"/>, once no node
    /// can still count the round as live (its deadline plus the allowed clock skew, DecisionBook's bound), asking again
    /// a few times while some still answer <c>pending</c>.
    /// </summary>
    private async Task<SequencerKillCheck> CheckDecisionsAfterDeadlineAsync(int round, ulong height, int sequencer, Stopwatch started, CancellationToken cancellation)
    {
        var pastDeadline = _options.RoundTimeout + ClusterOptions.ClockSkew + TimeSpan.FromMilliseconds(500) - started.Elapsed;
        if (pastDeadline > TimeSpan.Zero)
            await Task.Delay(pastDeadline, cancellation).ConfigureAwait(false);
        var answers = new Dictionary<int, DecisionEvent?>();
        var ask = Enumerable.Range(0, _options.Nodes).Where(IsLive).ToArray();
        for (var attempt = 0; attempt < 4 && ask.Length > 0; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation).ConfigureAwait(false);
            foreach (var (index, answer) in await Task.WhenAll(ask.Select(index => AskDecisionAsync(index, height, cancellation))).ConfigureAwait(false))
                answers[index] = answer;
            ask = [.. answers.Where(a => a.Key < _options.Nodes && a.Value?.State == NodeDecision.Pending).Select(a => a.Key)];
        }
        if (_voters is { } voters)
        {
            foreach (var (index, answer) in await voters.QueryDecisionsAsync(height).ConfigureAwait(false))
                answers[index] = answer;
        }
        return new SequencerKillCheck(round, height, sequencer, answers);
    }

    private async Task<(int Index, DecisionEvent? Answer)> AskDecisionAsync(int index, ulong height, CancellationToken cancellation)
    {
        var node = Node(index);
        var answer = node.ObserveAsync<DecisionEvent>(d => d.Height == height, TimeSpan.FromSeconds(10), $"its decision at height {height}", cancellation);
        if (!Send(node, w => ControlProtocol.WriteDecisionQuery(w, height)))
        {
            Observe(answer);
            return (index, null);
        }
        try
        {
            return (index, await answer.ConfigureAwait(false));
        }
        catch (Exception error) when (error is TimeoutException or NodeExitedException)
        {
            return (index, null);
        }
    }

    private void Kill(int index)
    {
        lock (_gate)
            _killed.Add(index);
        Node(index).Kill();
    }

    /// <summary>Brings killed nodes back over their own data directories, and waits until they are connected again.</summary>
    private async Task RestartAsync(IReadOnlyList<int> indices, CancellationToken cancellation)
    {
        foreach (var index in indices)
        {
            await Node(index).Exited.WaitAsync(TimeSpan.FromSeconds(10), cancellation).ConfigureAwait(false);
            lock (_gate)
                _killed.Remove(index);
            StartNode(index);
        }
        await WaitReadyAsync(indices, cancellation).ConfigureAwait(false);
        try
        {
            await WaitConnectedAsync(indices, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException error)
        {
            AddProblem($"after the restart: {error.Message}");
        }
        Progress($"restarted {string.Join(", ", indices.Select(i => $"node-{i}"))} over their own data directories");
    }

    private bool Send(NodeProcess node, Action<IBufferWriter<byte>> write)
    {
        lock (_command)
        {
            _command.ResetWrittenCount();
            write(_command);
            return node.Send(_command.WrittenSpan);
        }
    }

    private void Progress(string line)
    {
        lock (_progress)
        {
            _progress.WriteLine(line);
            _progress.Flush();
        }
    }

    /// <summary>Marks waits whose result no longer matters as observed, so their failures are not unobserved exceptions.</summary>
    private static void Observe(params Task[] tasks)
    {
        foreach (var task in tasks)
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    private static async Task WhenAllOrFirstFailure(Task[] tasks)
    {
        var remaining = new HashSet<Task>(tasks);
        while (remaining.Count > 0)
        {
            var done = await Task.WhenAny(remaining).ConfigureAwait(false);
            remaining.Remove(done);
            if (!done.IsCompletedSuccessfully)
            {
                Observe([.. remaining]);
                await done.ConfigureAwait(false);
            }
        }
    }

    private void KillEverything(object? sender, EventArgs e)
    {
        NodeProcess[] all;
        lock (_gate)
            all = [.. _everyProcess];
        foreach (var node in all)
            node.Kill();
    }
}
