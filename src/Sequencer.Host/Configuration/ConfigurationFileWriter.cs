using System.Globalization;
using System.Text;
using Sequencer.Host.Logging;

namespace Sequencer.Host.Configuration;

/// <summary>
/// Writes a configuration file that <see cref="NodeConfigurationLoader"/> reads back to the same values, every key
/// present with a comment saying what it is and its environment variable, so an operator can edit it without docs.
/// Paths are written as the configuration holds them (relative ones stay relative to the file).
/// </summary>
internal static class ConfigurationFileWriter
{
    public static string Write(NodeConfiguration configuration, string header)
    {
        var text = new StringBuilder();
        foreach (var line in header.Split('\n'))
            text.Append("# ").Append(line).Append('\n');
        text.Append("#\n# Precedence: defaults < this file < environment variables < --set key=value flags.\n");
        text.Append("# Relative paths are relative to this file's directory. Durations: \"500ms\", \"20s\", \"1m30s\", \"2h\".\n");
        var table = "";
        foreach (var key in ConfigurationKeys.All)
        {
            var (keyTable, name) = key.Split();
            if (keyTable != table)
            {
                text.Append("\n[").Append(keyTable).Append("]\n");
                table = keyTable;
            }
            text.Append('\n').Append("# ").Append(key.Description).Append(" (").Append(key.EnvironmentVariable).Append(")\n");
            text.Append(name).Append(" = ").Append(Literal(key.Type, key.Get(configuration))).Append('\n');
        }
        return text.ToString();
    }

    private static string Literal(ConfigurationValueType type, object value) => type switch
    {
        ConfigurationValueType.Integer or ConfigurationValueType.Port => ((int)value).ToString(CultureInfo.InvariantCulture),
        ConfigurationValueType.Boolean => (bool)value ? "true" : "false",
        ConfigurationValueType.Duration => String(Duration.Format((TimeSpan)value)),
        ConfigurationValueType.StringList => List((IReadOnlyList<string>)value),
        ConfigurationValueType.LogFormat => String((LogFormat)value == LogFormat.Json ? "json" : "text"),
        ConfigurationValueType.LogLevel => String(((LogLevel)value).ToString().ToLowerInvariant()),
        _ => String((string)value),
    };

    private static string List(IReadOnlyList<string> items)
    {
        var text = new StringBuilder("[");
        for (var index = 0; index < items.Count; index++)
            text.Append(index == 0 ? "" : ", ").Append(String(items[index]));
        return text.Append(']').ToString();
    }

    private static string String(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case < ' ' or '\u007F': text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }
}
