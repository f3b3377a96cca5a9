namespace Sequencer.Core.Validators;

/// <summary>
/// A validator directory file was refused. Carries the error kind, the JSON path of the offending value
/// (<c>$.validators[3].weight</c>) and its 1-based line and column (in bytes) so an operator can go straight to it.
/// </summary>
public sealed class DirectoryFormatException : Exception
{
    public DirectoryFormatException(DirectoryError error, string detail, string sourceName, string jsonPath, int line, int column)
        : base($"{sourceName}:{line}:{column}: {jsonPath}: {detail}")
    {
        Error = error;
        Detail = detail;
        SourceName = sourceName;
        JsonPath = jsonPath;
        Line = line;
        Column = column;
    }

    public DirectoryError Error { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }

    /// <summary>The file name (or another label for in-memory input).</summary>
    public string SourceName { get; }

    public string JsonPath { get; }

    public int Line { get; }

    public int Column { get; }
}
