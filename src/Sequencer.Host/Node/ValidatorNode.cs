using Sequencer.Core.Consensus;
using Sequencer.Core.Identity;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Validators;
using Sequencer.Host.Configuration;
using Sequencer.Host.Logging;
using Sequencer.Host.Metrics;
using Sequencer.Net.Addressing;
using Sequencer.Net.Consensus;
using Sequencer.Net.Host;

namespace Sequencer.Host.Node;

/// <summary>
/// One validator, composed (NODE §1): its keys, the directory, the durable safety store and decision log under
/// <c>data_dir</c>, a libp2p host, the engine (<see cref="ConsensusNode"/>) bound to the host through
/// <see cref="Libp2pConsensusNetwork"/> on a <see cref="SerialNodeLoop"/>, the block validator
/// (<see cref="ChainContinuityValidator"/>), logs, and metrics when on. It runs every role: sequencer of the rounds
/// <see cref="ProposeAsync"/> starts, buddy when invited, voter always.
/// </summary>
/// <remarks>
/// <para>Nothing here is process-wide: no static state, no console, no thread of its own (the loop runs on the thread
/// pool; the threaded vote pipeline's workers exist only in that mode). The in-process cluster runs a thousand of
/// these as extra voters (inline pipeline, metrics off, its own <see cref="Logger"/>).</para>
/// <para>Stopping (<see cref="DisposeAsync"/>): the engine stops on its loop (topics left, timers cancelled), the
/// adapter refuses what waits and stops dialling, the host closes, the metrics endpoint closes, and after the loop has
/// run out the stores are closed. Durable state needs no flushing: every safety record and certificate was fsynced
/// before it counted (DESIGN §6). Each step is bounded by <see cref="ValidatorNodeOptions.StopStepTimeout"/>.</para>
/// </remarks>
internal sealed partial class ValidatorNode : IAsyncDisposable
{
    public const string DecisionLogFileName = "decisions.log";

    private readonly Logger _logger;
    private readonly ValidatorNodeOptions _options;
    private readonly PeerPrivateKey _nodeKey;
    private readonly Secp256k1PeerPrivateKey _validatorKey;
    private readonly FileSafetyStore _safety;
    private readonly FileDecisionLog _decisionLog;
    private readonly MetricsServer? _metricsServer;
    private readonly SequencerMetrics? _metrics;
    private readonly Libp2pHost _host;
    private readonly SerialNodeLoop _loop;
    private readonly Libp2pConsensusNetwork _network;
    private readonly ConsensusNode _node;
    private readonly DecisionBook _decisions;
    private readonly IValidatorNodeListener _listener;
    private readonly INetworkEvents _events;
    private int _reportedPeers;
    private int _disposed;

    private ValidatorNode(Parts parts)
    {
        _logger = parts.Logger;
        _options = parts.Options;
        _nodeKey = parts.NodeKey!;
        _validatorKey = parts.ValidatorKey!;
        _safety = parts.Safety!;
        _decisionLog = parts.DecisionLog!;
        _metricsServer = parts.MetricsServer;
        _metrics = parts.Metrics;
        _host = parts.Host!;
        _loop = parts.Loop!;
        _network = parts.Network!;
        _node = parts.Node!;
        _decisions = parts.Decisions!;
        _listener = parts.Listener;
        _events = parts.Events!;
        Directory = parts.Directory!;
        Index = parts.Index;
    }

    /// <summary>This validator's directory index.</summary>
    public int Index { get; }

    public ValidatorDirectory Directory { get; }

    public ulong ChainId => Directory.ChainId;

    public PeerId PeerId => _host.PeerId;

    /// <summary>Where the host listens, with <c>/p2p/&lt;id&gt;</c>.</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses => _host.ListenAddresses;

    /// <summary>The metrics endpoint's port, or 0 when metrics are off.</summary>
    public int MetricsPort => _metricsServer?.LocalEndPoint.Port ?? 0;

    /// <summary>Validators connected right now (this node not counted).</summary>
    public int ConnectedValidators => _network.ConnectedValidators;

    /// <summary>The engine (its <see cref="ConsensusNode.Consensus"/> and <see cref="ConsensusNode.Metadata"/> are callable from any thread).</summary>
    public ConsensusNode Consensus => _node;

    /// <summary>Builds and starts a validator from its configuration: listening, serving, and dialling the directory's validators.</summary>
    /// <exception cref="ValidatorNodeException">A key, the directory, the data directory, a listen address or the metrics port is unusable.</exception>
    public static async Task<ValidatorNode> StartAsync(
        NodeConfiguration configuration, ValidatorNodeOptions options, Logger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var parts = new Parts { Logger = logger, Options = options, Listener = options.Listener ?? NullNodeListener.Instance };
        try
        {
            Compose(configuration, parts);
            var node = new ValidatorNode(parts);
            await node.BeginAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await parts.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts a round for <paramref name="block"/> at <paramref name="height"/> with this node as sequencer (chain id
    /// from the directory, an empty summary) and completes with its outcome. The listener hears the drawn committee
    /// (<see cref="IValidatorNodeListener.OnCommitteeDrawn"/>) before any invitation leaves.
    /// </summary>
    /// <exception cref="Core.Committee.CommitteeException">(in the task) No committee can be drawn.</exception>
    /// <exception cref="InvalidOperationException">(in the task) The round already ran here.</exception>
    public async Task<RoundOutcome> ProposeAsync(ulong height, Hash32 parent, Hash32 block)
    {
        var proposed = new ProposedBlock(ChainId, height, parent, block, ReadOnlyMemory<byte>.Empty);
        var committee = await _node.Consensus.QueryBuddyNodesAsync(proposed).ConfigureAwait(false);
        _listener.OnCommitteeDrawn(height, block, committee);
        return await _node.Consensus.StartAsync(proposed).ConfigureAwait(false);
    }

    /// <summary>What this node knows of <paramref name="height"/> (see <see cref="DecisionState"/>), read on its loop.</summary>
    public Task<DecisionAnswer> QueryDecisionAsync(ulong height) => _loop.InvokeAsync(() =>
    {
        var live = false;
        foreach (var round in _node.Metadata.GetRounds())
            live |= round.Round.Height == height && round.Round.ChainId == ChainId;
        return _decisions.Query(height, live);
    });

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        var step = _options.StopStepTimeout;
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // What gossip cost this node over its life: duplicates against deliveries says how much flooding was waste.
            var pubsub = _host.PubSub.Counters;
            _logger.At(LogLevel.Debug, "pubsub totals").Field("received", pubsub.MessagesReceived).Field("duplicates", pubsub.Duplicates)
                .Field("delivered", pubsub.Delivered).Field("published", pubsub.Published).Field("ignored", pubsub.Ignored)
                .Field("rejected", pubsub.Rejected).Field("dropped_frames", pubsub.DroppedFrames).Write();
        }
        await Bounded(_loop.InvokeAsync(_node.Stop), step, "engine stop").ConfigureAwait(false);
        await Bounded(_network.DisposeAsync().AsTask(), step, "network stop").ConfigureAwait(false);
        await Bounded(_host.DisposeAsync().AsTask(), 2 * step, "host close").ConfigureAwait(false);
        if (_metricsServer is not null)
            await Bounded(_metricsServer.DisposeAsync().AsTask(), step, "metrics close").ConfigureAwait(false);
        // Whatever the network posted before it stopped runs (and is ignored by the stopped engine) before the stores close.
        await Bounded(_loop.InvokeAsync(static () => { }), step, "loop drain").ConfigureAwait(false);
        _node.Dispose();
        _safety.Dispose();
        _decisionLog.Dispose();
        _validatorKey.Dispose();
        _nodeKey.Dispose();
        _logger.At(LogLevel.Info, "stopped").Field("node", Index).Write();
    }

    private async Task BeginAsync()
    {
        _network.ConnectedValidatorsChanged += () => _loop.Post(ReportPeers);
        _network.Start(_events);
        await _loop.InvokeAsync(_node.Start).ConfigureAwait(false);
        _logger.At(LogLevel.Info, "started").Field("node", Index).Peer(PeerId.ToString())
            .Field("listen", string.Join(',', ListenAddresses)).Field("metrics_port", MetricsPort).Write();
    }

    private void ReportPeers()
    {
        var connected = _network.ConnectedValidators;
        if (connected == _reportedPeers)
            return;
        _reportedPeers = connected;
        _metrics?.ConnectedPeers.Set(connected);
        _logger.At(LogLevel.Debug, "peers").Field("connected", connected).Write();
        _listener.OnPeersChanged(connected);
    }

    private async Task Bounded(Task step, TimeSpan timeout, string name)
    {
        try
        {
            await step.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.At(LogLevel.Warn, "stop step did not finish in time; going on").Field("step", name).Write();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            _logger.At(LogLevel.Warn, "stop step failed; going on").Field("step", name).Exception(error).Write();
        }
    }
}
