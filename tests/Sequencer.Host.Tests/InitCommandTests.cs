using System.Text.Json;
using Sequencer.Core.Identity;
using Sequencer.Core.Validators;
using Sequencer.Host.Cli;
using Sequencer.Host.Commands;
using Sequencer.Host.Configuration;

namespace Sequencer.Host.Tests;

public sealed class InitCommandTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly Dictionary<string, string> s_noEnvironment = [];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sequencer-init-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void LocalNetworkNodesLoadTheirConfigKeysAndSharedDirectory()
    {
        var root = Path.Combine(_directory.FullName, "net");
        var result = InitCommand.Initialize(root, validators: 4, basePort: 5000, chainId: 9, KeyType.Ed25519);

        var directory = DirectoryFile.Read(Path.Combine(root, "directory.json"));
        Assert.Equal(result.Directory.Hash, directory.Hash);
        Assert.Equal((9UL, 4), (directory.ChainId, directory.Count));
        var ports = new HashSet<int>();
        for (var index = 0; index < 4; index++)
        {
            var nodeDirectory = Path.Combine(root, $"node-{index}");
            var configuration = NodeConfigurationLoader.Load(Path.Combine(nodeDirectory, "node.toml"), s_noEnvironment, [], _directory.FullName);
            Assert.Equal(Path.Combine(root, "directory.json"), configuration.DirectoryPath);
            Assert.Equal(Path.Combine(nodeDirectory, "data"), configuration.DataDirectory);
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(configuration.NodeKeyPath));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(configuration.ValidatorKeyPath));

            using var nodeKey = KeyFile.Read(configuration.NodeKeyPath);
            using var validatorKey = Assert.IsType<Secp256k1PeerPrivateKey>(KeyFile.Read(configuration.ValidatorKeyPath));
            Assert.Equal(KeyType.Ed25519, nodeKey.Type);
            var validator = directory[index];
            Assert.Equal(nodeKey.PublicKey.ToPeerId(), validator.PeerId);
            Assert.Equal(validatorKey.Key.PublicKey, validator.PublicKey);
            Assert.Equal<string>([$"/ip4/127.0.0.1/tcp/{5000 + index}"], validator.Addresses);
            Assert.Equal<string>(validator.Addresses, configuration.ListenAddresses);
            Assert.Equal(5004 + index, configuration.MetricsPort);
            Assert.True(ports.Add(5000 + index) && ports.Add(configuration.MetricsPort));
        }
    }

    [Fact]
    public void SingleNodeWritesIntoTheDirectoryItself()
    {
        var result = InitCommand.Initialize(_directory.FullName, validators: null, basePort: 4001, chainId: 1, KeyType.Secp256k1);
        var configuration = NodeConfigurationLoader.Load(Path.Combine(_directory.FullName, "node.toml"), s_noEnvironment, [], "/");
        Assert.Equal(Path.Combine(_directory.FullName, "directory.json"), configuration.DirectoryPath);
        using var nodeKey = KeyFile.Read(configuration.NodeKeyPath);
        Assert.Equal(KeyType.Secp256k1, nodeKey.Type);
        Assert.Single(result.Nodes);
        Assert.Equal(nodeKey.PublicKey.ToPeerId(), DirectoryFile.Read(configuration.DirectoryPath)[0].PeerId);
    }

    [Fact]
    public void RefusesToOverwriteAndWritesNothingThen()
    {
        var root = Path.Combine(_directory.FullName, "net");
        Directory.CreateDirectory(Path.Combine(root, "node-1"));
        File.WriteAllText(Path.Combine(root, "node-1", "node.toml"), "keep me");
        var error = Assert.Throws<CommandFailedException>(() => InitCommand.Initialize(root, 3, 4001, 1, KeyType.Ed25519));
        Assert.Contains("node.toml already exists", error.Message);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(root, "node-1", "node.toml")));
        Assert.Single(Directory.GetFileSystemEntries(root));
    }

    [Theory]
    [InlineData(0, 4001, "--validators 0")]
    [InlineData(1025, 4001, "--validators 1025")]
    [InlineData(4, 65530, "--base-port 65530")]
    [InlineData(1, 0, "--base-port 0")]
    public void RefusesBadArguments(int validators, int basePort, string named)
    {
        var error = Assert.Throws<CommandFailedException>(() => InitCommand.Initialize(_directory.FullName, validators, basePort, 1, KeyType.Ed25519));
        Assert.StartsWith(named, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_directory.FullName));
    }

    [Fact]
    public void VotersAreVoterOnlyValidatorsAfterTheNodes()
    {
        var root = Path.Combine(_directory.FullName, "net");
        var result = InitCommand.Initialize(root, validators: 3, basePort: 5200, chainId: 2, KeyType.Ed25519, voters: 2);
        var directory = DirectoryFile.Read(result.DirectoryPath);
        Assert.Equal(result.Directory.Hash, directory.Hash);
        Assert.Equal([true, true, true, false, false], directory.Validators.Select(v => v.IsBuddyEligible));
        Assert.Equal([true, true, true, false, false], result.Nodes.Select(n => n.IsBuddyEligible));
        var voter = NodeConfigurationLoader.Load(result.Nodes[4].ConfigPath, s_noEnvironment, [], root);
        Assert.Equal<string>(["/ip4/127.0.0.1/tcp/5204"], voter.ListenAddresses);
        Assert.Equal(5209, voter.MetricsPort);
        Assert.Contains("voter-only", File.ReadAllText(result.Nodes[4].ConfigPath));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(3, -1)]
    [InlineData(3, 1022)]
    public void RefusesVotersWithoutANetworkOrBeyondTheLimit(int? validators, int voters)
    {
        var error = Assert.Throws<CommandFailedException>(() =>
            InitCommand.Initialize(_directory.FullName, validators, 4001, 1, KeyType.Ed25519, voters));
        Assert.StartsWith($"--voters {voters}", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_directory.FullName));
    }

    [Fact]
    public void BinaryPrintsOneJsonLineAndRefusesASecondRun()
    {
        var binary = NativeBinary.Instance;
        var root = Path.Combine(_directory.FullName, "cluster");
        var first = binary.Run("init", "--dir", root, "--validators", "3", "--base-port", "6100", "--chain-id", "5");
        Assert.Equal(0, first.ExitCode);
        using var json = JsonDocument.Parse(first.StandardOutput);
        Assert.Single(first.StandardOutput.TrimEnd('\n').Split('\n'));
        var nodes = json.RootElement.GetProperty("nodes");
        Assert.Equal(3, nodes.GetArrayLength());
        Assert.Equal(5UL, json.RootElement.GetProperty("chainId").GetUInt64());
        var directory = DirectoryFile.Read(json.RootElement.GetProperty("directory").GetString()!);
        Assert.Equal(directory.Hash.ToString(), json.RootElement.GetProperty("directoryHash").GetString());
        Assert.Equal(directory[2].PeerId.ToString(), nodes[2].GetProperty("peerId").GetString());

        var second = binary.Run("init", "--dir", root, "--validators", "3");
        Assert.Equal(1, second.ExitCode);
        Assert.StartsWith("error: ", second.StandardError);
        Assert.Contains("already exists", second.StandardError);
        Assert.Empty(second.StandardOutput);
    }
}
