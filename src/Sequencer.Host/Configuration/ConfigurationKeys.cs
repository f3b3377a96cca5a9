using Sequencer.Core.Consensus;

namespace Sequencer.Host.Configuration;

/// <summary>
/// Every key the configuration accepts, in the order the generated file lists them. Consensus keys keep the seed's
/// names (DESIGN §10) under <c>[consensus]</c>; their rules are <see cref="ConsensusOptions.Validate"/>'s.
/// </summary>
internal static class ConfigurationKeys
{
    public static IReadOnlyList<ConfigurationKey> All { get; } =
    [
        new("node_key", ConfigurationValueType.Path,
            "libp2p identity key (PrivateKey protobuf, Ed25519 or secp256k1, mode 0600); its peer id must be in the directory",
            c => c.NodeKeyPath, (c, v) => c with { NodeKeyPath = (string)v }),
        new("validator_key", ConfigurationValueType.Path,
            "validator key (secp256k1 PrivateKey protobuf, mode 0600): signs votes and attestations, proves the VRF",
            c => c.ValidatorKeyPath, (c, v) => c with { ValidatorKeyPath = (string)v }),
        new("directory", ConfigurationValueType.Path,
            "validator directory (JSON with comments): every validator's peer id, key, weight and addresses",
            c => c.DirectoryPath, (c, v) => c with { DirectoryPath = (string)v }),
        new("data_dir", ConfigurationValueType.Path,
            "durable state: voted/attested records and the decision log; never share it between nodes",
            c => c.DataDirectory, (c, v) => c with { DataDirectory = (string)v }),
        new("listen", ConfigurationValueType.StringList,
            "libp2p listen multiaddrs",
            c => c.ListenAddresses, (c, v) => c with { ListenAddresses = (IReadOnlyList<string>)v }),

        new("metrics.enabled", ConfigurationValueType.Boolean,
            "serve Prometheus metrics at http://address:port/metrics",
            c => c.MetricsEnabled, (c, v) => c with { MetricsEnabled = (bool)v }),
        new("metrics.address", ConfigurationValueType.String,
            "IP address of the metrics endpoint (keep it on loopback unless a scraper elsewhere needs it)",
            c => c.MetricsAddress, (c, v) => c with { MetricsAddress = (string)v }),
        new("metrics.port", ConfigurationValueType.Port,
            "TCP port of the metrics endpoint (0: any free port)",
            c => c.MetricsPort, (c, v) => c with { MetricsPort = (int)v }),

        new("log.format", ConfigurationValueType.LogFormat,
            "\"text\" for people, \"json\" (one object per line) for log collectors; logs go to stderr",
            c => c.LogFormat, (c, v) => c with { LogFormat = (LogFormat)v }),
        new("log.level", ConfigurationValueType.LogLevel,
            "least severe level written: \"trace\", \"debug\", \"info\", \"warn\" or \"error\"",
            c => c.LogLevel, (c, v) => c with { LogLevel = (Logging.LogLevel)v }),

        Consensus(nameof(ConsensusOptions.MaxMainPeers), ConfigurationValueType.Integer,
            "main buddies drawn per round, 1 … 13 (a consensus rule: every validator must use the same value)",
            o => o.MaxMainPeers, (o, v) => o with { MaxMainPeers = (int)v }),
        Consensus(nameof(ConsensusOptions.MaxBackupPeers), ConfigurationValueType.Integer,
            "ordered backup buddies drawn after the mains, 0 … 10 (a consensus rule)",
            o => o.MaxBackupPeers, (o, v) => o with { MaxBackupPeers = (int)v }),
        Consensus(nameof(ConsensusOptions.ConsensusTimeout), ConfigurationValueType.Duration,
            "a round's one deadline from the moment its sequencer starts it, 1s … 10m",
            o => o.ConsensusTimeout, (o, v) => o with { ConsensusTimeout = (TimeSpan)v }),
        Consensus(nameof(ConsensusOptions.PubSub_ConsensusChannel), ConfigurationValueType.String,
            "prefix of the per-round consensus topic (proposal, attestations); topic = prefix/round",
            o => o.PubSub_ConsensusChannel, (o, v) => o with { PubSub_ConsensusChannel = (string)v }),
        Consensus(nameof(ConsensusOptions.Pubsub_CRDTSync), ConfigurationValueType.String,
            "prefix of the per-round CRDT topic (vote-set deltas and summaries between buddies)",
            o => o.Pubsub_CRDTSync, (o, v) => o with { Pubsub_CRDTSync = (string)v }),
        Consensus(nameof(ConsensusOptions.PubSub_AnnounceChannel), ConfigurationValueType.String,
            "network-wide topic every validator joins: vote requests and certificates",
            o => o.PubSub_AnnounceChannel, (o, v) => o with { PubSub_AnnounceChannel = (string)v }),
        Consensus(nameof(ConsensusOptions.InvitationTimeout), ConfigurationValueType.Duration,
            "how long the sequencer waits for a buddy's answer to its invitation",
            o => o.InvitationTimeout, (o, v) => o with { InvitationTimeout = (TimeSpan)v }),
        Consensus(nameof(ConsensusOptions.VoteRequestTimeout), ConfigurationValueType.Duration,
            "how long a voter waits for a buddy's acknowledgement before trying the next",
            o => o.VoteRequestTimeout, (o, v) => o with { VoteRequestTimeout = (TimeSpan)v }),
        Consensus(nameof(ConsensusOptions.SyncRequestTimeout), ConfigurationValueType.Duration,
            "how long a fetch or result pull waits for its answer",
            o => o.SyncRequestTimeout, (o, v) => o with { SyncRequestTimeout = (TimeSpan)v }),
        Consensus(nameof(ConsensusOptions.AntiEntropyInterval), ConfigurationValueType.Duration,
            "how often a buddy publishes its vote-set summary",
            o => o.AntiEntropyInterval, (o, v) => o with { AntiEntropyInterval = (TimeSpan)v }),
        Consensus(nameof(ConsensusOptions.ResultPullLead), ConfigurationValueType.Duration,
            "how long before the deadline the sequencer pulls missing attestations and summaries",
            o => o.ResultPullLead, (o, v) => o with { ResultPullLead = (TimeSpan)v }),
        Consensus(nameof(ConsensusOptions.MinimumTimeLeftToServe), ConfigurationValueType.Duration,
            "a buddy declines an invitation whose deadline leaves it less than this",
            o => o.MinimumTimeLeftToServe, (o, v) => o with { MinimumTimeLeftToServe = (TimeSpan)v }),
        Consensus(nameof(ConsensusOptions.MaximumClockSkew), ConfigurationValueType.Duration,
            "how far another node's clock may run ahead of this one's",
            o => o.MaximumClockSkew, (o, v) => o with { MaximumClockSkew = (TimeSpan)v }),
        Consensus(nameof(ConsensusOptions.MaxConcurrentBuddyRounds), ConfigurationValueType.Integer,
            "rounds this node serves as a buddy at once; further invitations are declined",
            o => o.MaxConcurrentBuddyRounds, (o, v) => o with { MaxConcurrentBuddyRounds = (int)v }),
    ];

    public const string ConsensusTable = "consensus";

    public static ConfigurationKey? Find(string name)
    {
        foreach (var key in All)
        {
            if (string.Equals(key.Name, name, StringComparison.Ordinal))
                return key;
        }
        return null;
    }

    public static ConfigurationKey? FindByEnvironmentVariable(string variable)
    {
        foreach (var key in All)
        {
            if (string.Equals(key.EnvironmentVariable, variable, StringComparison.OrdinalIgnoreCase))
                return key;
        }
        return null;
    }

    /// <summary>The known key closest to a misspelt one (at most two edits away, or equal ignoring case), for the error message.</summary>
    public static string? Suggest(string name)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var key in All)
        {
            var distance = string.Equals(key.Name, name, StringComparison.OrdinalIgnoreCase) ? 0 : EditDistance(key.Name, name);
            if (distance < bestDistance)
            {
                best = key.Name;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static ConfigurationKey Consensus(
        string name, ConfigurationValueType type, string description,
        Func<ConsensusOptions, object> get, Func<ConsensusOptions, object, ConsensusOptions> set) =>
        new(ConsensusTable + "." + name, type, description,
            c => get(c.Consensus), (c, v) => c with { Consensus = set(c.Consensus, v) });

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
