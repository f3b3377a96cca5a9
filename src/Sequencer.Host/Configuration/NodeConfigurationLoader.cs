using System.Collections;
using System.Globalization;
using System.Net;
using Sequencer.Host.Logging;

namespace Sequencer.Host.Configuration;

/// <summary>
/// Builds a <see cref="NodeConfiguration"/> in increasing precedence: defaults, the configuration file, environment
/// variables (<c>SEQUENCER_&lt;KEY&gt;</c>, see <see cref="ConfigurationKey.EnvironmentVariable"/>), then flags
/// (<c>--set key=value</c>). The first problem ends the load with a <see cref="ConfigurationException"/> naming the
/// key, where the value came from and the value: an unknown key in the file, an unknown <c>SEQUENCER_*</c> variable or
/// an unknown flag key is an error, never ignored, because a misspelt key would silently run the node on a default.
/// </summary>
/// <remarks>
/// Environment and flag values are text: integers in decimal, booleans <c>true</c>/<c>false</c>, durations as in the
/// file ("20s"), lists comma-separated. Relative paths in the file are relative to the file's directory (so a
/// generated node directory can move as a whole); relative paths from the environment, flags and defaults are relative
/// to the working directory, or for defaults to the file's directory when there is a file.
/// </remarks>
internal static class NodeConfigurationLoader
{
    /// <param name="filePath">The configuration file, or null to use defaults, environment and flags only.</param>
    /// <param name="environment">Environment variables; only those starting with <c>SEQUENCER_</c> are read.</param>
    /// <param name="settings">Flag values <c>key=value</c> (from repeated <c>--set</c>), applied last, in order.</param>
    /// <exception cref="ConfigurationException">A value is unknown, malformed or breaks its rule.</exception>
    /// <exception cref="TomlFormatException">The file is not in the accepted TOML subset.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NodeConfiguration Load(
        string? filePath, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> settings, string workingDirectory)
    {
        var configuration = NodeConfiguration.Default;
        var sources = new Dictionary<string, ConfigurationSource>(StringComparer.Ordinal);
        var defaultBase = workingDirectory;

        if (filePath is not null)
        {
            var fullPath = Path.GetFullPath(filePath, workingDirectory);
            var fileDirectory = Path.GetDirectoryName(fullPath) ?? workingDirectory;
            defaultBase = fileDirectory;
            foreach (var entry in TomlReader.Parse(File.ReadAllText(fullPath), filePath))
            {
                var value = entry.Value;
                var key = ConfigurationKeys.Find(entry.Key)
                    ?? throw Unknown(entry.Key, ConfigurationSource.File(filePath, entry.Line, entry.Column), Show(value));
                var source = ConfigurationSource.File(filePath, value.Line, value.Column);
                configuration = key.Set(configuration, Convert(key, value, source, fileDirectory));
                sources[key.Name] = source;
            }
        }

        // Sorted so that, with several bad variables, the same one is reported every time.
        var variables = new List<string>();
        foreach (var name in environment.Keys)
        {
            if (name.StartsWith(ConfigurationKey.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                variables.Add(name);
        }
        variables.Sort(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            var source = ConfigurationSource.Environment(variable);
            var text = environment[variable];
            var key = ConfigurationKeys.FindByEnvironmentVariable(variable)
                ?? throw new ConfigurationException(variable, source, Quote(text), "unknown configuration variable"
                    + (SuggestVariable(variable) is { } suggestion ? $" (did you mean {suggestion}?)" : ""));
            configuration = key.Set(configuration, Convert(key, text, source, workingDirectory));
            sources[key.Name] = source;
        }

        foreach (var setting in settings)
        {
            var source = ConfigurationSource.Flag($"--set {setting}");
            var equals = setting.IndexOf('=');
            if (equals <= 0)
                throw new ConfigurationException(setting, source, Quote(setting), "a --set value must be key=value");
            var name = setting[..equals];
            var text = setting[(equals + 1)..];
            var key = ConfigurationKeys.Find(name) ?? throw Unknown(name, source, Quote(text));
            configuration = key.Set(configuration, Convert(key, text, source, workingDirectory));
            sources[key.Name] = source;
        }

        configuration = configuration with
        {
            NodeKeyPath = Path.GetFullPath(configuration.NodeKeyPath, defaultBase),
            ValidatorKeyPath = Path.GetFullPath(configuration.ValidatorKeyPath, defaultBase),
            DirectoryPath = Path.GetFullPath(configuration.DirectoryPath, defaultBase),
            DataDirectory = Path.GetFullPath(configuration.DataDirectory, defaultBase),
        };
        Validate(configuration, sources);
        return configuration;
    }

    /// <summary>The process's environment as <see cref="Load"/> takes it.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
                variables[name] = value;
        }
        return variables;
    }

    private static void Validate(NodeConfiguration configuration, Dictionary<string, ConfigurationSource> sources)
    {
        ConfigurationSource SourceOf(string key) => sources.GetValueOrDefault(key, ConfigurationSource.Default);

        if (configuration.ListenAddresses.Count == 0)
            throw new ConfigurationException("listen", SourceOf("listen"), "[]", "at least one listen multiaddr is needed");
        foreach (var address in configuration.ListenAddresses)
        {
            if (!address.StartsWith('/'))
                throw new ConfigurationException("listen", SourceOf("listen"), Quote(address), "a multiaddr starts with '/' (e.g. /ip4/127.0.0.1/tcp/4001)");
        }
        if (!IPAddress.TryParse(configuration.MetricsAddress, out _))
            throw new ConfigurationException("metrics.address", SourceOf("metrics.address"), Quote(configuration.MetricsAddress), "must be an IPv4 or IPv6 address");
        if (configuration.Consensus.Validate() is { } error)
        {
            var name = ConfigurationKeys.ConsensusTable + "." + error.Key;
            throw new ConfigurationException(name, SourceOf(name), error.Value, error.Requirement);
        }
    }

    private static object Convert(ConfigurationKey key, TomlValue value, ConfigurationSource source, string baseDirectory)
    {
        var expected = key.Type switch
        {
            ConfigurationValueType.Integer or ConfigurationValueType.Port => TomlValueKind.Integer,
            ConfigurationValueType.Boolean => TomlValueKind.Boolean,
            ConfigurationValueType.StringList => TomlValueKind.StringArray,
            _ => TomlValueKind.String,
        };
        if (value.Kind != expected)
            throw new ConfigurationException(key.Name, source, Show(value), $"must be {Describe(key.Type)}");
        return value.Kind switch
        {
            TomlValueKind.Integer => CheckInteger(key, value.Integer, source),
            TomlValueKind.Boolean => value.Boolean,
            TomlValueKind.StringArray => CheckList(key, value.Strings!, source),
            _ => ConvertText(key, value.String!, source, baseDirectory),
        };
    }

    private static object Convert(ConfigurationKey key, string text, ConfigurationSource source, string baseDirectory)
    {
        switch (key.Type)
        {
            case ConfigurationValueType.Integer:
            case ConfigurationValueType.Port:
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    throw new ConfigurationException(key.Name, source, Quote(text), $"must be {Describe(key.Type)}");
                return CheckInteger(key, integer, source);
            case ConfigurationValueType.Boolean:
                return text switch
                {
                    "true" => true,
                    "false" => false,
                    _ => throw new ConfigurationException(key.Name, source, Quote(text), $"must be {Describe(key.Type)}"),
                };
            case ConfigurationValueType.StringList:
                var items = text.Split(',', StringSplitOptions.TrimEntries);
                return CheckList(key, text.Length == 0 ? [] : items, source);
            default:
                return ConvertText(key, text, source, baseDirectory);
        }
    }

    private static object ConvertText(ConfigurationKey key, string text, ConfigurationSource source, string baseDirectory)
    {
        switch (key.Type)
        {
            case ConfigurationValueType.Path:
                if (text.Length == 0 || text.Contains('\0'))
                    throw new ConfigurationException(key.Name, source, Quote(text), "must be a non-empty path");
                return Path.GetFullPath(text, baseDirectory);
            case ConfigurationValueType.Duration:
                return Duration.TryParse(text, out var duration)
                    ? duration
                    : throw new ConfigurationException(key.Name, source, Quote(text), $"must be {Describe(key.Type)}");
            case ConfigurationValueType.LogFormat:
                return text switch
                {
                    "text" => LogFormat.Text,
                    "json" => LogFormat.Json,
                    _ => throw new ConfigurationException(key.Name, source, Quote(text), $"must be {Describe(key.Type)}"),
                };
            case ConfigurationValueType.LogLevel:
                return text switch
                {
                    "trace" => LogLevel.Trace,
                    "debug" => LogLevel.Debug,
                    "info" => LogLevel.Info,
                    "warn" => LogLevel.Warn,
                    "error" => LogLevel.Error,
                    _ => throw new ConfigurationException(key.Name, source, Quote(text), $"must be {Describe(key.Type)}"),
                };
            default:
                return text;
        }
    }

    private static int CheckInteger(ConfigurationKey key, long value, ConfigurationSource source)
    {
        var (minimum, maximum) = key.Type == ConfigurationValueType.Port ? (0L, 65535L) : (int.MinValue, (long)int.MaxValue);
        if (value < minimum || value > maximum)
            throw new ConfigurationException(key.Name, source, value.ToString(CultureInfo.InvariantCulture), $"must be {Describe(key.Type)}");
        return (int)value;
    }

    private static string[] CheckList(ConfigurationKey key, IReadOnlyList<string> items, ConfigurationSource source)
    {
        var copy = new string[items.Count];
        for (var index = 0; index < items.Count; index++)
        {
            if (items[index].Length == 0)
                throw new ConfigurationException(key.Name, source, "[…, \"\", …]", "list items must not be empty");
            copy[index] = items[index];
        }
        return copy;
    }

    private static string Describe(ConfigurationValueType type) => type switch
    {
        ConfigurationValueType.Path => "a path (a string)",
        ConfigurationValueType.String => "a string",
        ConfigurationValueType.Integer => "an integer",
        ConfigurationValueType.Port => "a port number 0 … 65535",
        ConfigurationValueType.Boolean => "true or false",
        ConfigurationValueType.Duration => "a duration such as \"20s\", \"1m30s\" or \"500ms\"",
        ConfigurationValueType.StringList => "a list of strings",
        ConfigurationValueType.LogFormat => "\"text\" or \"json\"",
        ConfigurationValueType.LogLevel => "\"trace\", \"debug\", \"info\", \"warn\" or \"error\"",
        _ => type.ToString(),
    };

    private static ConfigurationException Unknown(string name, ConfigurationSource source, string value) =>
        new(name, source, value, "unknown key" + (ConfigurationKeys.Suggest(name) is { } suggestion ? $" (did you mean {suggestion}?)" : ""));

    private static string? SuggestVariable(string variable)
    {
        var name = variable[ConfigurationKey.EnvironmentPrefix.Length..];
        foreach (var key in ConfigurationKeys.All)
        {
            // Variables have no dots; compare against each key's variable spelling.
            var keyName = key.EnvironmentVariable[ConfigurationKey.EnvironmentPrefix.Length..];
            if (keyName.Replace("_", "", StringComparison.Ordinal).Equals(name.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                return key.EnvironmentVariable;
        }
        return null;
    }

    private static string Show(TomlValue value) => value.Kind switch
    {
        TomlValueKind.String => Quote(value.String!),
        TomlValueKind.Integer => value.Integer.ToString(CultureInfo.InvariantCulture),
        TomlValueKind.Boolean => value.Boolean ? "true" : "false",
        _ => "[" + string.Join(", ", QuoteAll(value.Strings!)) + "]",
    };

    private static IEnumerable<string> QuoteAll(IReadOnlyList<string> items)
    {
        foreach (var item in items)
            yield return Quote(item);
    }

    private static string Quote(string text) => "\"" + text + "\"";
}
