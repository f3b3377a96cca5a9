using Sequencer.Core.Consensus;
using Sequencer.Host.Logging;

namespace Sequencer.Host.Configuration;

/// <summary>
/// Everything a node reads at start: where its keys, directory and data live, how it listens, logs and exposes
/// metrics, and the engine's <see cref="ConsensusOptions"/>. <see cref="NodeConfigurationLoader"/> builds it from
/// defaults, the file (<see cref="ConfigurationKeys"/> lists every key), environment variables and flags; paths in a
/// loaded configuration are absolute.
/// </summary>
internal sealed record NodeConfiguration
{
    public static NodeConfiguration Default { get; } = new();

    /// <summary>The libp2p identity key (a PrivateKey protobuf, mode 0600): Ed25519 or secp256k1.</summary>
    public string NodeKeyPath { get; init; } = "node.key";

    /// <summary>The validator key (secp256k1, mode 0600): signs votes and attestations and proves the VRF.</summary>
    public string ValidatorKeyPath { get; init; } = "validator.key";

    /// <summary>The validator directory file (<c>Sequencer.Core.Validators.DirectoryFile</c> format).</summary>
    public string DirectoryPath { get; init; } = "directory.json";

    /// <summary>Where the node keeps state that must survive a crash: safety records and the decision log (DESIGN §6).</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>The libp2p listen multiaddrs (text form).</summary>
    public IReadOnlyList<string> ListenAddresses { get; init; } = ["/ip4/127.0.0.1/tcp/4001"];

    public bool MetricsEnabled { get; init; } = true;

    /// <summary>The IP address the metrics endpoint listens on (loopback by default: metrics are not for the world).</summary>
    public string MetricsAddress { get; init; } = "127.0.0.1";

    public int MetricsPort { get; init; } = 9600;

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    public LogLevel LogLevel { get; init; } = LogLevel.Info;

    public ConsensusOptions Consensus { get; init; } = ConsensusOptions.Default;
}
