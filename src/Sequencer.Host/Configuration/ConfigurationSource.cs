namespace Sequencer.Host.Configuration;

/// <summary>Where a configuration value came from, in increasing precedence.</summary>
internal enum ConfigurationSourceKind
{
    Default,
    File,
    Environment,
    Flag,
}

/// <summary>A value's origin as an error message names it: "default", "node.toml:12:17", "environment variable SEQUENCER_…", "flag --set …".</summary>
internal sealed record ConfigurationSource(ConfigurationSourceKind Kind, string Description)
{
    public static ConfigurationSource Default { get; } = new(ConfigurationSourceKind.Default, "default");

    public static ConfigurationSource File(string path, int line, int column) => new(ConfigurationSourceKind.File, $"{path}:{line}:{column}");

    public static ConfigurationSource Environment(string variable) => new(ConfigurationSourceKind.Environment, $"environment variable {variable}");

    public static ConfigurationSource Flag(string flag) => new(ConfigurationSourceKind.Flag, $"flag {flag}");

    public override string ToString() => Description;
}
