using Sequencer.Host.Configuration;
using Sequencer.Host.Logging;

namespace Sequencer.Host.Tests.Configuration;

public sealed class NodeConfigurationLoaderTests : IDisposable
{
    private static readonly Dictionary<string, string> s_noEnvironment = [];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sequencer-config-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string WriteFile(string text)
    {
        var path = Path.Combine(_directory.FullName, "node.toml");
        File.WriteAllText(path, text);
        return path;
    }

    private NodeConfiguration Load(string? file, Dictionary<string, string>? environment = null, params string[] settings) =>
        NodeConfigurationLoader.Load(file, environment ?? s_noEnvironment, settings, _directory.FullName);

    [Fact]
    public void DefaultsAreValidAndResolvedAgainstTheWorkingDirectory()
    {
        var configuration = Load(null);
        Assert.Equal(Path.Combine(_directory.FullName, "node.key"), configuration.NodeKeyPath);
        Assert.Equal(Path.Combine(_directory.FullName, "data"), configuration.DataDirectory);
        Assert.Equal(13, configuration.Consensus.MaxMainPeers);
        Assert.Equal(LogFormat.Text, configuration.LogFormat);
    }

    [Fact]
    public void FileThenEnvironmentThenFlagsEachOverrideTheOneBefore()
    {
        var file = WriteFile("""
            node_key = "keys/node.key"
            [metrics]
            port = 9100
            [log]
            level = "debug"
            [consensus]
            MaxMainPeers = 7
            ConsensusTimeout = "30s"
            """);
        var environment = new Dictionary<string, string>
        {
            ["SEQUENCER_CONSENSUS_MAXMAINPEERS"] = "5",
            ["SEQUENCER_LOG_LEVEL"] = "warn",
            ["SEQUENCER_LISTEN"] = "/ip4/127.0.0.1/tcp/1, /ip4/127.0.0.1/tcp/2",
            ["PATH"] = "/usr/bin",
        };
        var configuration = Load(file, environment, "consensus.MaxMainPeers=3", "log.format=json");

        Assert.Equal(Path.Combine(_directory.FullName, "keys", "node.key"), configuration.NodeKeyPath);
        Assert.Equal(9100, configuration.MetricsPort);
        Assert.Equal(LogLevel.Warn, configuration.LogLevel);
        Assert.Equal(LogFormat.Json, configuration.LogFormat);
        Assert.Equal(3, configuration.Consensus.MaxMainPeers);
        Assert.Equal(TimeSpan.FromSeconds(30), configuration.Consensus.ConsensusTimeout);
        Assert.Equal(["/ip4/127.0.0.1/tcp/1", "/ip4/127.0.0.1/tcp/2"], configuration.ListenAddresses);
    }

    [Fact]
    public void RelativePathsInTheFileFollowTheFileAndOthersTheWorkingDirectory()
    {
        var nested = Directory.CreateDirectory(Path.Combine(_directory.FullName, "node-0"));
        var file = Path.Combine(nested.FullName, "node.toml");
        File.WriteAllText(file, "directory = \"../directory.json\"\n");
        var configuration = NodeConfigurationLoader.Load(file, s_noEnvironment, ["data_dir=state"], _directory.FullName);
        Assert.Equal(Path.Combine(_directory.FullName, "directory.json"), configuration.DirectoryPath);
        Assert.Equal(Path.Combine(nested.FullName, "node.key"), configuration.NodeKeyPath);
        Assert.Equal(Path.Combine(_directory.FullName, "state"), configuration.DataDirectory);
    }

    [Fact]
    public void UnknownFileKeyIsRefusedWithItsLocationAndASuggestion()
    {
        var file = WriteFile("[consensus]\n\nMaxMainPeer = 7\n");
        var error = Assert.Throws<ConfigurationException>(() => Load(file));
        Assert.Equal("consensus.MaxMainPeer", error.Key);
        Assert.Equal($"{file}:3:1", error.Origin.Description);
        Assert.Equal("7", error.Value);
        Assert.Contains("did you mean consensus.MaxMainPeers?", error.Requirement);
    }

    [Fact]
    public void UnknownEnvironmentVariableIsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(null, new() { ["SEQUENCER_CONSENSUS_MAXMAINPEER"] = "3" }));
        Assert.Equal("environment variable SEQUENCER_CONSENSUS_MAXMAINPEER", error.Origin.Description);
        Assert.Contains("unknown", error.Requirement);
    }

    [Theory]
    [InlineData("consensus.MaxMainPeers=14", "consensus.MaxMainPeers", "14", "must be 1 … 13")]
    [InlineData("consensus.ConsensusTimeout=20", "consensus.ConsensusTimeout", "\"20\"", "duration")]
    [InlineData("consensus.ConsensusTimeout=1h", "consensus.ConsensusTimeout", "01:00:00", "must be 1 s … 10 min")]
    [InlineData("metrics.port=65536", "metrics.port", "65536", "0 … 65535")]
    [InlineData("metrics.enabled=yes", "metrics.enabled", "\"yes\"", "true or false")]
    [InlineData("metrics.address=localhost", "metrics.address", "\"localhost\"", "IPv4 or IPv6")]
    [InlineData("log.format=xml", "log.format", "\"xml\"", "\"text\" or \"json\"")]
    [InlineData("listen=tcp:4001", "listen", "\"tcp:4001\"", "starts with '/'")]
    [InlineData("nodekey=x", "nodekey", "\"x\"", "did you mean node_key?")]
    public void BadFlagValuesNameKeySourceAndValue(string setting, string key, string value, string requirement)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(null, null, setting));
        Assert.Equal(key, error.Key);
        Assert.Equal(ConfigurationSourceKind.Flag, error.Origin.Kind);
        Assert.Equal(value, error.Value);
        Assert.Contains(requirement, error.Requirement);
        Assert.Contains($"--set {setting}", error.Message);
    }

    [Fact]
    public void WrongTypeInTheFileIsRefusedAtTheValue()
    {
        var file = WriteFile("[consensus]\nMaxMainPeers = \"7\"\n");
        var error = Assert.Throws<ConfigurationException>(() => Load(file));
        Assert.Equal($"{file}:2:16", error.Origin.Description);
        Assert.Equal("\"7\"", error.Value);
        Assert.Equal("must be an integer", error.Requirement);
    }

    [Fact]
    public void CrossKeyConsensusRuleNamesTheKeysSource()
    {
        var file = WriteFile("[consensus]\nConsensusTimeout = \"4s\"\nResultPullLead = \"5s\"\n");
        var error = Assert.Throws<ConfigurationException>(() => Load(file));
        Assert.Equal("consensus.ResultPullLead", error.Key);
        Assert.Equal($"{file}:3:18", error.Origin.Description);
    }

    [Fact]
    public void GeneratedFileCommentsEveryKeyAndReadsBackTheSameValues()
    {
        var configuration = NodeConfiguration.Default with
        {
            NodeKeyPath = "node.key",
            ListenAddresses = ["/ip4/127.0.0.1/tcp/4100", "/ip4/127.0.0.1/tcp/4101"],
            MetricsPort = 9700,
            LogFormat = LogFormat.Json,
            LogLevel = LogLevel.Debug,
            Consensus = NodeConfiguration.Default.Consensus with { MaxMainPeers = 4, ConsensusTimeout = TimeSpan.FromSeconds(90), PubSub_AnnounceChannel = "a\"b" },
        };
        var text = ConfigurationFileWriter.Write(configuration, "test node\nsecond line");
        var file = WriteFile(text);
        var loaded = Load(file);

        Assert.Equal(Path.Combine(_directory.FullName, "node.key"), loaded.NodeKeyPath);
        Assert.Equal(configuration.ListenAddresses, loaded.ListenAddresses);
        Assert.Equal(configuration.Consensus, loaded.Consensus);
        Assert.Equal((9700, LogFormat.Json, LogLevel.Debug), (loaded.MetricsPort, loaded.LogFormat, loaded.LogLevel));
        var lines = text.Split('\n');
        foreach (var key in ConfigurationKeys.All)
        {
            var (_, name) = key.Split();
            var index = Array.FindIndex(lines, line => line.StartsWith(name + " = ", StringComparison.Ordinal));
            Assert.True(index > 0, key.Name);
            Assert.StartsWith("# ", lines[index - 1]);
            Assert.Contains(key.EnvironmentVariable, lines[index - 1]);
        }
    }
}
