namespace Sequencer.Host.Configuration;

/// <summary>
/// The configuration cannot be used: <see cref="Key"/> (as the file names it) from <see cref="Origin"/> holds
/// <see cref="Value"/>, which breaks <see cref="Requirement"/>. The message carries all four, e.g.
/// <c>node.toml:14:16: consensus.MaxMainPeers = 14: must be 1 … 13</c>.
/// </summary>
internal sealed class ConfigurationException(string key, ConfigurationSource source, string value, string requirement)
    : Exception($"{source}: {key} = {value}: {requirement}")
{
    public string Key { get; } = key;

    public ConfigurationSource Origin { get; } = source;

    public string Value { get; } = value;

    public string Requirement { get; } = requirement;
}
