namespace Sequencer.Host.Configuration;

/// <summary>A configuration file is not in the accepted TOML subset; the message names the file, line and column.</summary>
internal sealed class TomlFormatException(string sourceName, int line, int column, string problem)
    : Exception($"{sourceName}:{line}:{column}: {problem}")
{
    public string SourceName { get; } = sourceName;

    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Problem { get; } = problem;
}
