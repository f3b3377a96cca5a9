using System.Net;
using System.Net.Sockets;
using Sequencer.Core.Consensus;
using Sequencer.Core.Identity;
using Sequencer.Core.Ports;
using Sequencer.Core.Safety;
using Sequencer.Core.Validators;
using Sequencer.Host.Configuration;
using Sequencer.Host.Logging;
using Sequencer.Host.Metrics;
using Sequencer.Net.Addressing;
using Sequencer.Net.Consensus;
using Sequencer.Net.Host;
using Sequencer.Net.PubSub;
using Sequencer.Net.Transport;

namespace Sequencer.Host.Node;

internal sealed partial class ValidatorNode
{
    /// <summary>
    /// Builds every part in dependency order into <paramref name="parts"/>, so that a failure part-way leaves exactly
    /// what was built for <see cref="Parts.DisposeAsync"/> to release. Each failure names the file, key or address.
    /// </summary>
    private static void Compose(NodeConfiguration configuration, Parts parts)
    {
        var options = parts.Options;
        parts.NodeKey = ReadKey(configuration.NodeKeyPath, "node_key");
        var validatorKey = ReadKey(configuration.ValidatorKeyPath, "validator_key");
        parts.ValidatorKey = validatorKey as Secp256k1PeerPrivateKey;
        if (parts.ValidatorKey is null)
        {
            validatorKey.Dispose();
            throw new ValidatorNodeException($"validator_key {configuration.ValidatorKeyPath}: a validator key must be secp256k1, this one is {validatorKey.Type}");
        }

        FileValidatorDirectorySource directorySource;
        try
        {
            directorySource = options.SharedDirectory is { } shared
                && Path.GetFullPath(shared.Path) == Path.GetFullPath(configuration.DirectoryPath)
                ? shared
                : new FileValidatorDirectorySource(configuration.DirectoryPath);
        }
        catch (Exception error) when (error is DirectoryFormatException or IOException or UnauthorizedAccessException)
        {
            throw new ValidatorNodeException($"directory {configuration.DirectoryPath}: {error.Message}", error);
        }
        var directory = parts.Directory = directorySource.Current;
        if (!directory.TryGetByPublicKey(parts.ValidatorKey.Key.PublicKey, out var self))
            throw new ValidatorNodeException($"validator_key {configuration.ValidatorKeyPath}: its public key {Convert.ToHexStringLower(parts.ValidatorKey.Key.PublicKey.Compressed)} is not in the directory {configuration.DirectoryPath}");
        var peerId = parts.NodeKey.PublicKey.ToPeerId();
        if (self.PeerId != peerId)
            throw new ValidatorNodeException($"node_key {configuration.NodeKeyPath}: its peer id {peerId} is not validator {self.Index}'s ({self.PeerId}) in the directory");
        parts.Index = self.Index;

        try
        {
            System.IO.Directory.CreateDirectory(configuration.DataDirectory);
            parts.Safety = FileSafetyStore.Open(configuration.DataDirectory);
            parts.DecisionLog = FileDecisionLog.Open(Path.Combine(configuration.DataDirectory, DecisionLogFileName));
        }
        catch (Exception error) when (error is SafetyStateException or IOException or UnauthorizedAccessException)
        {
            throw new ValidatorNodeException($"data_dir {configuration.DataDirectory}: {error.Message}", error);
        }

        var consensus = configuration.Consensus;
        parts.Decisions = new DecisionBook(directory.ChainId, options.Time, consensus.ConsensusTimeout + consensus.MaximumClockSkew);
        parts.Decisions.Load(parts.DecisionLog.ReadAll());

        MetricsObserver? metricsObserver = null;
        if (options.Metrics && configuration.MetricsEnabled)
        {
            var registry = new MetricsRegistry();
            parts.Metrics = new SequencerMetrics(registry);
            metricsObserver = new MetricsObserver(parts.Metrics, options.Time);
            try
            {
                parts.MetricsServer = MetricsServer.Start(registry, IPAddress.Parse(configuration.MetricsAddress), configuration.MetricsPort);
            }
            catch (SocketException error)
            {
                throw new ValidatorNodeException($"metrics.port {configuration.MetricsPort}: cannot serve metrics at {configuration.MetricsAddress}:{configuration.MetricsPort}: {error.Message}", error);
            }
        }

        var listen = new Multiaddr[configuration.ListenAddresses.Count];
        for (var i = 0; i < listen.Length; i++)
        {
            if (!Multiaddr.TryParse(configuration.ListenAddresses[i], out var address))
                throw new ValidatorNodeException($"listen: '{configuration.ListenAddresses[i]}' is not a multiaddr");
            listen[i] = address;
        }
        try
        {
            parts.Host = Libp2pHost.Start(parts.NodeKey, new Libp2pHostOptions
            {
                ListenAddresses = listen,
                MaxConnections = ConnectionLimit(directory),
                PubSub = new GossipSubOptions { FloodOnlyTopic = RoundTopicFilter(configuration.Consensus) },
                Transport = new TcpTransportOptions { MaxInboundConnections = ConnectionLimit(directory) },
                CloseTimeout = options.StopStepTimeout,
                TimeProvider = options.Time,
            });
        }
        catch (TransportException error)
        {
            throw new ValidatorNodeException($"listen {string.Join(", ", configuration.ListenAddresses)}: {error.Message}", error);
        }

        var logger = parts.Logger;
        parts.Loop = new SerialNodeLoop(error => logger.Error("a work item on the node's loop failed", error));
        // Connections are kept to buddy-eligible validators only: a voter-only validator ("buddy": false) dials the
        // buddies it votes through, and nobody dials it, so a thousand light voters cost each buddy a thousand inbound
        // connections rather than a full mesh among themselves.
        var network = options.Network ?? new ConsensusNetworkOptions();
        if (network.KeepConnectedTo is null)
            network = network with { KeepConnectedTo = index => directory.TryGet((uint)index, out var validator) && validator.IsBuddyEligible };
        parts.Network = new Libp2pConsensusNetwork(parts.Host, directorySource, parts.Loop, network, options.Time);
        parts.Network.PublishFailed += (topic, status) =>
            logger.At(LogLevel.Debug, "publish reached nobody").Field("topic", topic).Field("status", status.ToString()).Write();

        var observer = new NodeObserver(logger, directory, parts.Decisions, metricsObserver, parts.Listener);
        var trace = options.TraceSigned ? new SignedTrace(directory, parts.Listener) : null;
        IConsensusNetwork engineNetwork = trace is null ? parts.Network : new TracingConsensusNetwork(parts.Network, trace);
        parts.Node = new ConsensusNode(new ConsensusNodeContext(
            consensus, directorySource, new ValidatorSigner(parts.ValidatorKey.Key, parts.Index), parts.ValidatorKey.Key,
            parts.Safety, parts.DecisionLog, engineNetwork, parts.Loop, options.Time, new ChainContinuityValidator(parts.Decisions),
            new Random(), observer, options.PipelineMode, options.CommitteeCache));

        INetworkEvents events = parts.Node;
        if (trace is not null)
            events = new TracingNetworkEvents(events, trace);
        if (options.Byzantine == ByzantineBehaviour.Equivocate)
            events = new EquivocatingVoter(events, engineNetwork, directory, consensus, parts.ValidatorKey.Key, parts.Index, logger);
        parts.Events = events;
    }

    /// <summary>
    /// A round's two topics are flood-only (no mesh): their subscribers are the committee and the sequencer, who keep
    /// direct connections to one another, so every publication already reaches each of them, and a mesh relaying it
    /// delivered each message about five more times (measured: 70% of all gossip received on a 24-node cluster was
    /// duplicates, most of them on round topics). Anti-entropy and the result pull cover a member that subscribed
    /// too late for a publication. The network-wide announce topic keeps its mesh: voters are not all connected to
    /// every publisher.
    /// </summary>
    private static Func<string, bool> RoundTopicFilter(ConsensusOptions consensus)
    {
        var consensusPrefix = consensus.PubSub_ConsensusChannel + "/";
        var crdtPrefix = consensus.Pubsub_CRDTSync + "/";
        return topic => topic.StartsWith(consensusPrefix, StringComparison.Ordinal) || topic.StartsWith(crdtPrefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The host's and the listener's connection limits: room for a connection from every validator of the directory, twice over (two simultaneous dials of one pair
    /// overlap until one closes), and never below the host's default. A buddy-eligible node of a network with a thousand
    /// voter-only validators has a thousand voters dialling it; with the default of 256 the last few were refused and
    /// kept retrying.
    /// </summary>
    private static int ConnectionLimit(ValidatorDirectory directory) =>
        Math.Max(new Libp2pHostOptions().MaxConnections, 2 * directory.Count);

    private static PeerPrivateKey ReadKey(string path, string key)
    {
        try
        {
            return KeyFile.Read(path);
        }
        catch (KeyFileException error)
        {
            throw new ValidatorNodeException($"{key} {path}: {error.Message}", error);
        }
    }

    /// <summary>The parts of a node as they are built; released in reverse order when a later one fails.</summary>
    private sealed class Parts : IAsyncDisposable
    {
        public required Logger Logger { get; init; }
        public required ValidatorNodeOptions Options { get; init; }
        public required IValidatorNodeListener Listener { get; init; }
        public PeerPrivateKey? NodeKey { get; set; }
        public Secp256k1PeerPrivateKey? ValidatorKey { get; set; }
        public ValidatorDirectory? Directory { get; set; }
        public int Index { get; set; }
        public FileSafetyStore? Safety { get; set; }
        public FileDecisionLog? DecisionLog { get; set; }
        public DecisionBook? Decisions { get; set; }
        public SequencerMetrics? Metrics { get; set; }
        public MetricsServer? MetricsServer { get; set; }
        public Libp2pHost? Host { get; set; }
        public SerialNodeLoop? Loop { get; set; }
        public Libp2pConsensusNetwork? Network { get; set; }
        public ConsensusNode? Node { get; set; }
        public INetworkEvents? Events { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Network is not null)
                await Network.DisposeAsync().ConfigureAwait(false);
            Node?.Dispose();
            if (Host is not null)
                await Host.DisposeAsync().ConfigureAwait(false);
            if (MetricsServer is not null)
                await MetricsServer.DisposeAsync().ConfigureAwait(false);
            DecisionLog?.Dispose();
            Safety?.Dispose();
            ValidatorKey?.Dispose();
            NodeKey?.Dispose();
        }
    }
}
