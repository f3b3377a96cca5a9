using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Validators;
using Sequencer.Host.Commands;
using Sequencer.Host.Configuration;
using Sequencer.Host.Logging;
using Sequencer.Host.Node;
using Sequencer.Net.Consensus;

namespace Sequencer.Host.Cluster;

/// <summary>
/// The cluster's extra voters (<c>--voters V</c>): voter-only validators (<c>"buddy": false</c>) run inside the cluster
/// process as <see cref="ValidatorNode"/>s, each with its own libp2p host, keys and data directory, over the same
/// loopback network as the process nodes. They run the inline vote pipeline (a thousand of them share two cores), serve
/// no metrics, and log warnings and errors to one file, <c>DIR/voters.log</c>.
/// </summary>
internal sealed class InProcessVoters : IAsyncDisposable
{
    /// <summary>Voters started at once: each binds a port and dials the buddies, so a burst of a thousand would only queue.</summary>
    private const int StartParallelism = 16;

    /// <summary>
    /// Process nodes each voter keeps a connection to. Enough for the network-wide topic to reach it through the
    /// gossip mesh; a vote for a buddy it is not connected to dials that buddy on demand. Connecting every voter to
    /// every node instead costs 24 Noise handshakes per voter before the first round (24,000 for a thousand voters).
    /// </summary>
    public const int KeptConnections = 6;

    /// <summary>How long a voter keeps a connection it opened to vote through a buddy outside its kept set.</summary>
    private static readonly TimeSpan UnkeptConnectionIdle = TimeSpan.FromSeconds(10);

    /// <summary>Thread-pool threads kept ready while voters run (see the fsync note in <see cref="StartAsync"/>).</summary>
    private const int MinPoolThreads = 64;

    private static readonly Dictionary<string, string> s_noEnvironment = [];

    private readonly List<ValidatorNode> _nodes = [];
    private readonly List<ConnectionWatch> _watches = [];
    private readonly FileStream _log;
    private readonly Logger _logger;

    private InProcessVoters(string logPath)
    {
        _log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        _logger = new Logger(_log, LogFormat.Text, LogLevel.Warn, TimeProvider.System);
    }

    public int Count => _nodes.Count;

    /// <summary>Starts a voter for every voter-only node of <paramref name="network"/>.</summary>
    /// <param name="processNodes">The validators 0 … processNodes − 1 that run as processes (the buddies).</param>
    public static async Task<InProcessVoters> StartAsync(InitCommand.InitResult network, int processNodes, string logPath, CancellationToken cancellation)
    {
        var voters = new InProcessVoters(logPath);
        try
        {
            var voterNodes = network.Nodes.Where(n => !n.IsBuddyEligible).ToArray();
            var kept = Math.Min(KeptConnections, processNodes);
            using var slots = new SemaphoreSlim(StartParallelism);
            // One cache for every voter: each round's committee proof (a VRF verification and a sampling) is derived
            // once in this process instead of once per voter.
            var committees = new CommitteeCache();
            // And one directory: every voter's configuration names the network's one file.
            var directory = voterNodes.Length == 0 ? null
                : new FileValidatorDirectorySource(NodeConfigurationLoader.Load(voterNodes[0].ConfigPath, s_noEnvironment, [], network.Root).DirectoryPath);
            // A voter's loop blocks while its "voted" record is fsynced (as it must, before the vote is signed): with a
            // thousand voters on a handful of pool threads, those waits queued behind each other and the pool grew
            // only slowly. Enough threads let the fsyncs overlap (the file system commits them together).
            ThreadPool.GetMinThreads(out var workers, out var completions);
            ThreadPool.SetMinThreads(Math.Max(workers, MinPoolThreads), completions);
            await Task.WhenAll(voterNodes.Select(async voter =>
            {
                var path = voter.ConfigPath;
                // Voter v keeps the process nodes v, v + 1, … (mod the process count): the load spreads evenly.
                var first = voter.Index % processNodes;
                await slots.WaitAsync(cancellation).ConfigureAwait(false);
                try
                {
                    var configuration = NodeConfigurationLoader.Load(path, s_noEnvironment, [], network.Root);
                    var watch = new ConnectionWatch();
                    var options = new ValidatorNodeOptions
                    {
                        PipelineMode = VotePipelineMode.Inline,
                        Metrics = false,
                        CommitteeCache = committees,
                        SharedDirectory = directory,
                        Listener = watch,
                        Network = new ConsensusNetworkOptions
                        {
                            KeepConnectedTo = index => index < processNodes && (index - first + processNodes) % processNodes < kept,
                            // The buddies dialled for votes beyond those: closed once idle, or a thousand voters would
                            // end up with a connection to every buddy (24,000 descriptors; the process may have 20,000).
                            CloseUnkeptAfter = UnkeptConnectionIdle,
                        },
                    };
                    var node = await ValidatorNode.StartAsync(configuration, options, voters._logger, cancellation).ConfigureAwait(false);
                    lock (voters._nodes)
                    {
                        voters._nodes.Add(node);
                        voters._watches.Add(watch);
                    }
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false);
            return voters;
        }
        catch
        {
            await voters.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until every voter is connected to at least <paramref name="buddies"/> validators.</summary>
    public Task WaitConnectedAsync(int buddies, TimeSpan timeout, CancellationToken cancellation)
    {
        ConnectionWatch[] watches;
        lock (_nodes)
            watches = [.. _watches];
        return Task.WhenAll(watches.Select(w => w.AtLeast(buddies))).WaitAsync(timeout, cancellation);
    }

    /// <summary>Every voter's answer about <paramref name="height"/>, by validator index, as the control protocol would say it.</summary>
    public async Task<IReadOnlyList<(int Index, DecisionEvent Answer)>> QueryDecisionsAsync(ulong height)
    {
        ValidatorNode[] nodes;
        lock (_nodes)
            nodes = [.. _nodes];
        var answers = await Task.WhenAll(nodes.Select(n => n.QueryDecisionAsync(height))).ConfigureAwait(false);
        return [.. nodes.Zip(answers, (node, answer) => (node.Index, new DecisionEvent(height, answer.State switch
        {
            DecisionState.Accepted => NodeDecision.Accepted,
            DecisionState.Rejected => NodeDecision.Rejected,
            DecisionState.TimedOut => NodeDecision.TimedOut,
            DecisionState.Pending => NodeDecision.Pending,
            _ => NodeDecision.Unknown,
        }, answer.Block?.ToString())))];
    }

    public async ValueTask DisposeAsync()
    {
        ValidatorNode[] nodes;
        lock (_nodes)
        {
            nodes = [.. _nodes];
            _nodes.Clear();
        }
        await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One voter's connection count, as its listener hears it, and the waits on it.</summary>
    private sealed class ConnectionWatch : IValidatorNodeListener
    {
        private readonly Lock _gate = new();
        private readonly List<(int Wanted, TaskCompletionSource Reached)> _waits = [];
        private int _connected;

        public void OnPeersChanged(int connected)
        {
            lock (_gate)
            {
                _connected = connected;
                _waits.RemoveAll(w => connected >= w.Wanted && w.Reached.TrySetResult());
            }
        }

        public Task AtLeast(int wanted)
        {
            lock (_gate)
            {
                if (_connected >= wanted)
                    return Task.CompletedTask;
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((wanted, reached));
                return reached.Task;
            }
        }
    }
}
