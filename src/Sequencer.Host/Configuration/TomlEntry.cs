namespace Sequencer.Host.Configuration;

/// <summary>One <c>key = value</c> of a configuration file: the full key ("table.key"), where the key starts, and its value.</summary>
internal sealed record TomlEntry(string Key, int Line, int Column, TomlValue Value);
