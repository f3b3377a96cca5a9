namespace Sequencer.Host.Configuration;

/// <summary>
/// One key of the configuration file. <paramref name="Name"/> is how the file names it ("table.key"); the environment
/// variable is <see cref="EnvironmentVariable"/>. <paramref name="Get"/> and <paramref name="Set"/> read and replace
/// its value (typed by <paramref name="Type"/>: string, int, bool, TimeSpan, string list, LogFormat or LogLevel).
/// </summary>
internal sealed record ConfigurationKey(
    string Name,
    ConfigurationValueType Type,
    string Description,
    Func<NodeConfiguration, object> Get,
    Func<NodeConfiguration, object, NodeConfiguration> Set)
{
    public const string EnvironmentPrefix = "SEQUENCER_";

    /// <summary><c>SEQUENCER_</c> + the name upper-cased with '.' as '_': <c>consensus.MaxMainPeers</c> → <c>SEQUENCER_CONSENSUS_MAXMAINPEERS</c>.</summary>
    public string EnvironmentVariable { get; } = EnvironmentPrefix + Name.Replace('.', '_').ToUpperInvariant();

    /// <summary>The table the key sits in ("" for the top level) and its name within it.</summary>
    public (string Table, string Key) Split()
    {
        var dot = Name.IndexOf('.');
        return dot < 0 ? ("", Name) : (Name[..dot], Name[(dot + 1)..]);
    }
}
