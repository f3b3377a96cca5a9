using System.CommandLine;
using System.Globalization;
using Sequencer.Core.Identity;
using Sequencer.Core.Validators;
using Sequencer.Host.Cli;
using Sequencer.Host.Configuration;

namespace Sequencer.Host.Commands;

/// <summary>
/// <c>sequencer init --dir DIR [--validators N] [--voters V] [--base-port P] [--chain-id N] [--node-key-type T]</c>:
/// everything a node (or, with <c>--validators N</c>, a whole local network) needs to start.
/// <code>
/// one node:            DIR/node.key  DIR/validator.key  DIR/node.toml  DIR/directory.json
/// --validators N:      DIR/directory.json  DIR/node-i/{node.key, validator.key, node.toml}  for i = 0 … N-1
/// --voters V:          also DIR/node-i for i = N … N+V-1: voter-only validators ("buddy": false in the directory)
/// </code>
/// Keys are files of mode 0600 (the node key Ed25519 by default, the validator key secp256k1); each node.toml has a
/// comment on every key and points at the shared directory, which lists every generated validator at 127.0.0.1 with
/// listen port P + i (metrics on P + T + i, T = N + V). Nothing is ever overwritten: if any target exists, nothing is
/// written. <see cref="Write"/> is the same with ports and settings of the caller's choosing (<c>sequencer cluster</c>).
/// <c>sequencer start --config DIR/node-i/node.toml</c> and <c>sequencer cluster</c> read exactly these files.
/// </summary>
internal static class InitCommand
{
    public const string ConfigFileName = "node.toml";
    public const string NodeKeyFileName = "node.key";
    public const string ValidatorKeyFileName = "validator.key";
    public const string DirectoryFileName = "directory.json";
    public const string DataDirectoryName = "data";
    public const int MaxValidators = 1024;
    public const int DefaultBasePort = 4001;
    public const ulong DefaultWeight = 100;
    public const string LocalRegion = "local";

    private static readonly Dictionary<string, string> s_emptyEnvironment = [];

    public static Command Create()
    {
        var directory = new Option<string>("--dir") { Description = "Directory to write into (created if missing)", Required = true };
        var validators = new Option<int?>("--validators") { Description = $"Generate a local network of N validators (1 … {MaxValidators}) in DIR/node-0 … DIR/node-(N-1)" };
        var voters = new Option<int>("--voters") { Description = "With --validators N: V more validators in DIR/node-N … that vote but are never drawn into a committee (\"buddy\": false)", DefaultValueFactory = _ => 0 };
        var basePort = new Option<int>("--base-port") { Description = "First libp2p listen port; node i of T listens on P + i and serves metrics on P + T + i", DefaultValueFactory = _ => DefaultBasePort };
        var chainId = new Option<ulong>("--chain-id") { Description = "Chain id of the validator directory", DefaultValueFactory = _ => 1 };
        var nodeKeyType = new Option<string>("--node-key-type") { Description = "libp2p identity key type", DefaultValueFactory = _ => "ed25519" };
        nodeKeyType.AcceptOnlyFromAmong("ed25519", "secp256k1");
        var command = new Command("init", "Write node and validator keys, a commented config file and the validator directory for one node or a local network")
        {
            directory, validators, voters, basePort, chainId, nodeKeyType,
        };
        CommandRunner.SetAction(command, parseResult =>
        {
            var result = Initialize(
                parseResult.GetRequiredValue(directory),
                parseResult.GetValue(validators),
                parseResult.GetValue(basePort),
                parseResult.GetValue(chainId),
                parseResult.GetValue(nodeKeyType) == "secp256k1" ? KeyType.Secp256k1 : KeyType.Ed25519,
                parseResult.GetValue(voters));
            JsonOutput.WriteObject(json =>
            {
                json.WriteString("dir", result.Root);
                json.WriteNumber("chainId", result.Directory.ChainId);
                json.WriteString("directory", result.DirectoryPath);
                json.WriteString("directoryHash", result.Directory.Hash.ToString());
                json.WriteStartArray("nodes");
                foreach (var node in result.Nodes)
                {
                    json.WriteStartObject();
                    json.WriteNumber("index", node.Index);
                    json.WriteString("config", node.ConfigPath);
                    json.WriteString("peerId", node.PeerId.ToString());
                    json.WriteString("validatorKey", node.ValidatorPublicKey);
                    json.WriteString("listen", node.ListenAddress);
                    json.WriteNumber("metricsPort", node.MetricsPort);
                    if (!node.IsBuddyEligible)
                        json.WriteBoolean("buddy", false);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            });
            return CommandRunner.Success;
        });
        return command;
    }

    /// <summary>One generated node: its config file, identity, validator public key (hex), ports and role.</summary>
    internal sealed record InitializedNode(
        int Index, string ConfigPath, PeerId PeerId, string ValidatorPublicKey, string ListenAddress, int MetricsPort,
        bool IsBuddyEligible = true);

    internal sealed record InitResult(string Root, string DirectoryPath, ValidatorDirectory Directory, IReadOnlyList<InitializedNode> Nodes);

    /// <summary>
    /// What <see cref="Write"/> generates: <see cref="ListenPorts"/> has one port per validator (its count is the size of
    /// the network), the last <see cref="Voters"/> of them voter-only; <see cref="MetricsPorts"/> likewise (0: any free
    /// port); every node's configuration is <see cref="Template"/> with its own paths and ports.
    /// </summary>
    internal sealed record NetworkPlan(
        IReadOnlyList<int> ListenPorts, IReadOnlyList<int> MetricsPorts, int Voters, ulong ChainId, KeyType NodeKeyType,
        NodeConfiguration Template, bool SingleNode = false);

    /// <param name="validators">null: one node directly in <paramref name="root"/>; N: a local network in node-0 … node-(N-1).</param>
    /// <param name="voters">Voter-only validators after the N (only with a local network).</param>
    /// <exception cref="CommandFailedException">A bad argument, or a file that would be overwritten.</exception>
    internal static InitResult Initialize(string root, int? validators, int basePort, ulong chainId, KeyType nodeKeyType, int voters = 0)
    {
        var count = validators ?? 1;
        if (count is < 1 or > MaxValidators)
            throw new CommandFailedException($"--validators {count}: must be 1 … {MaxValidators}");
        if (voters < 0 || (voters > 0 && validators is null) || count + voters > MaxValidators)
            throw new CommandFailedException(
                $"--voters {voters}: must be 0 … {MaxValidators - count} and needs --validators (at most {MaxValidators} validators in all)");
        var total = count + voters;
        if (basePort < 1 || basePort + 2L * total - 1 > 65535)
            throw new CommandFailedException($"--base-port {basePort}: the {2 * total} ports from it (listen and metrics) must lie within 1 … 65535");
        var listenPorts = new int[total];
        var metricsPorts = new int[total];
        for (var index = 0; index < total; index++)
        {
            listenPorts[index] = basePort + index;
            metricsPorts[index] = basePort + total + index;
        }
        return Write(root, new NetworkPlan(listenPorts, metricsPorts, voters, chainId, nodeKeyType, NodeConfiguration.Default, SingleNode: validators is null));
    }

    /// <summary>Generates the network <paramref name="plan"/> describes under <paramref name="root"/>.</summary>
    /// <exception cref="CommandFailedException">A file that would be overwritten, or a key that cannot be written.</exception>
    internal static InitResult Write(string root, NetworkPlan plan)
    {
        var count = plan.ListenPorts.Count;
        if (count is < 1 or > MaxValidators || plan.MetricsPorts.Count != count || plan.Voters < 0 || plan.Voters >= count
            || (plan.SingleNode && count != 1))
            throw new ArgumentException($"a plan of {count} listen ports, {plan.MetricsPorts.Count} metrics ports and {plan.Voters} voters", nameof(plan));
        root = Path.GetFullPath(root);
        var nodeDirectories = new string[count];
        for (var index = 0; index < count; index++)
            nodeDirectories[index] = plan.SingleNode ? root : Path.Combine(root, $"node-{index}");

        var directoryPath = Path.Combine(root, DirectoryFileName);
        var targets = new List<string> { directoryPath };
        foreach (var nodeDirectory in nodeDirectories)
        {
            targets.Add(Path.Combine(nodeDirectory, NodeKeyFileName));
            targets.Add(Path.Combine(nodeDirectory, ValidatorKeyFileName));
            targets.Add(Path.Combine(nodeDirectory, ConfigFileName));
        }
        // All checked before anything is written, so a refusal leaves the directory as it was.
        foreach (var target in targets)
        {
            if (File.Exists(target) || Directory.Exists(target))
                throw new CommandFailedException($"{target} already exists; init never overwrites (choose another --dir)");
        }

        var firstVoter = count - plan.Voters;
        var chainId = plan.ChainId.ToString(CultureInfo.InvariantCulture);
        var specs = new List<ValidatorSpec>(count);
        var nodes = new List<InitializedNode>(count);
        for (var index = 0; index < count; index++)
        {
            var nodeDirectory = Directory.CreateDirectory(nodeDirectories[index]).FullName;
            var metricsPort = plan.MetricsPorts[index];
            var listen = $"/ip4/127.0.0.1/tcp/{plan.ListenPorts[index].ToString(CultureInfo.InvariantCulture)}";
            var isBuddyEligible = index < firstVoter;

            using var nodeKey = PeerPrivateKey.Generate(plan.NodeKeyType);
            using var validatorKey = new Secp256k1PeerPrivateKey(Core.Crypto.Secp256k1.Secp256k1PrivateKey.Generate());
            WriteKey(Path.Combine(nodeDirectory, NodeKeyFileName), nodeKey);
            WriteKey(Path.Combine(nodeDirectory, ValidatorKeyFileName), validatorKey);

            var configuration = plan.Template with
            {
                NodeKeyPath = NodeKeyFileName,
                ValidatorKeyPath = ValidatorKeyFileName,
                DirectoryPath = plan.SingleNode ? DirectoryFileName : Path.Combine("..", DirectoryFileName),
                DataDirectory = DataDirectoryName,
                ListenAddresses = [listen],
                MetricsPort = metricsPort,
            };
            var configPath = Path.Combine(nodeDirectory, ConfigFileName);
            var role = isBuddyEligible ? "" : ", a voter-only validator";
            var header = $"sequencer node {index.ToString(CultureInfo.InvariantCulture)} of {count.ToString(CultureInfo.InvariantCulture)} (chain {chainId}{role}), written by 'sequencer init'.\n"
                + $"Start it with: sequencer start --config {configPath}";
            using (var file = new FileStream(configPath, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(file))
                writer.Write(ConfigurationFileWriter.Write(configuration, header));

            var peerId = nodeKey.PublicKey.ToPeerId();
            var validatorPublicKey = validatorKey.Key.PublicKey;
            specs.Add(new ValidatorSpec(peerId, validatorPublicKey, DefaultWeight, LocalRegion, [listen], isBuddyEligible));
            nodes.Add(new InitializedNode(index, configPath, peerId, Convert.ToHexStringLower(validatorPublicKey.Compressed), listen, metricsPort, isBuddyEligible));
        }

        var directory = ValidatorDirectory.Create(plan.ChainId, epoch: 0, specs);
        DirectoryFile.Save(directory, directoryPath);
        // What was written must be what `start` accepts: a generated file the loader refuses is a bug caught here.
        foreach (var node in nodes)
            NodeConfigurationLoader.Load(node.ConfigPath, s_emptyEnvironment, [], root);
        return new InitResult(root, directoryPath, directory, nodes);
    }

    private static void WriteKey(string path, PeerPrivateKey key)
    {
        try
        {
            KeyFile.Write(path, key);
        }
        catch (KeyFileException error)
        {
            throw new CommandFailedException(error.Message, error);
        }
    }
}
