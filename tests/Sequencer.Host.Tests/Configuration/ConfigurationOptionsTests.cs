using System.CommandLine;
using Sequencer.Host.Cli;
using Sequencer.Host.Configuration;

namespace Sequencer.Host.Tests.Configuration;

public sealed class ConfigurationOptionsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sequencer-options-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static (ConfigurationOptions Options, ParseResult Parsed) Parse(params string[] args)
    {
        var options = new ConfigurationOptions();
        var command = new RootCommand();
        options.AddTo(command);
        return (options, command.Parse(args));
    }

    [Fact]
    public void FlagsOverrideEnvironmentWhichOverridesTheFile()
    {
        var file = Path.Combine(_directory.FullName, "node.toml");
        File.WriteAllText(file, "[metrics]\nport = 1\n[consensus]\nMaxMainPeers = 5\nMaxBackupPeers = 2\n");
        var (options, parsed) = Parse("--config", file, "--set", "metrics.port=3", "--set", "consensus.MaxBackupPeers=4");
        Assert.Empty(parsed.Errors);
        var environment = new Dictionary<string, string> { ["SEQUENCER_METRICS_PORT"] = "2", ["SEQUENCER_CONSENSUS_MAXMAINPEERS"] = "6" };
        var configuration = options.Load(parsed, environment, _directory.FullName);
        Assert.Equal((3, 6, 4), (configuration.MetricsPort, configuration.Consensus.MaxMainPeers, configuration.Consensus.MaxBackupPeers));
    }

    [Fact]
    public void LogFormatFlagOverridesTheFileAndALaterSetOverridesTheFlag()
    {
        var file = Path.Combine(_directory.FullName, "node.toml");
        File.WriteAllText(file, "[log]\nformat = \"text\"\n");
        var environment = new Dictionary<string, string>();
        var (options, parsed) = Parse("--config", file, "--log-format", "json");
        Assert.Equal(LogFormat.Json, options.Load(parsed, environment, _directory.FullName).LogFormat);
        (options, parsed) = Parse("--config", file, "--log-format", "json", "--set", "log.format=text");
        Assert.Equal(LogFormat.Text, options.Load(parsed, environment, _directory.FullName).LogFormat);
        Assert.NotEmpty(Parse("--log-format", "xml").Parsed.Errors);
    }

    [Fact]
    public void ProblemsBecomeOperatorMessages()
    {
        var (options, parsed) = Parse("--config", Path.Combine(_directory.FullName, "missing.toml"));
        Assert.Contains("cannot read", Assert.Throws<CommandFailedException>(() => options.Load(parsed, new Dictionary<string, string>(), "/")).Message);

        var file = Path.Combine(_directory.FullName, "bad.toml");
        File.WriteAllText(file, "[log]\nformat = \"xml\"\n");
        (options, parsed) = Parse("--config", file);
        var error = Assert.Throws<CommandFailedException>(() => options.Load(parsed, new Dictionary<string, string>(), "/"));
        Assert.Equal($"configuration: {file}:2:10: log.format = \"xml\": must be \"text\" or \"json\"", error.Message);
    }
}
