using System.CommandLine;
using Sequencer.Host.Cli;

namespace Sequencer.Host.Configuration;

/// <summary>
/// The command-line side of the configuration, for every command that runs a node (<c>start</c>, <c>cluster</c>):
/// <c>--config FILE</c>, <c>--log-format text|json</c> and repeatable <c>--set key=value</c> (keys as the file names
/// them, e.g. <c>--set consensus.ConsensusTimeout=30s</c>), which override the file and the environment; a <c>--set</c>
/// of <c>log.format</c> wins over <c>--log-format</c>, as the later word on the same key.
/// </summary>
internal sealed class ConfigurationOptions
{
    public Option<string> ConfigFile { get; } = new("--config")
    {
        Description = "Node configuration file (TOML, as written by 'sequencer init')",
    };

    public Option<string[]> Settings { get; } = new("--set")
    {
        Description = "Override one configuration key: --set key=value (repeatable; e.g. --set log.format=json)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string> LogFormatFlag { get; } = CreateLogFormat();

    public void AddTo(Command command)
    {
        command.Options.Add(ConfigFile);
        command.Options.Add(LogFormatFlag);
        command.Options.Add(Settings);
    }

    /// <summary>Loads the configuration these options name, with the process's environment.</summary>
    /// <exception cref="CommandFailedException">The file cannot be read or a value is unknown or invalid (the message says which, where and why).</exception>
    public NodeConfiguration Load(ParseResult parseResult) =>
        Load(parseResult, NodeConfigurationLoader.ProcessEnvironment(), Environment.CurrentDirectory);

    public NodeConfiguration Load(ParseResult parseResult, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        try
        {
            string[] settings = parseResult.GetValue(Settings) ?? [];
            if (parseResult.GetValue(LogFormatFlag) is { } format)
                settings = [$"log.format={format}", .. settings];
            return NodeConfigurationLoader.Load(parseResult.GetValue(ConfigFile), environment, settings, workingDirectory);
        }
        catch (Exception error) when (error is ConfigurationException or TomlFormatException)
        {
            throw new CommandFailedException($"configuration: {error.Message}", error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"configuration: cannot read {parseResult.GetValue(ConfigFile)}: {error.Message}", error);
        }
    }

    private static Option<string> CreateLogFormat()
    {
        var option = new Option<string>("--log-format")
        {
            Description = "Logs on stderr as 'text' (for people) or 'json' (one object per line, for log collectors); the same as --set log.format=…",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }
}
