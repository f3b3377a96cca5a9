namespace Sequencer.Host.Configuration;

/// <summary>The kinds of value the configuration reader accepts (a strict subset of TOML 1.0).</summary>
internal enum TomlValueKind
{
    String,
    Integer,
    Boolean,
    StringArray,
}

/// <summary>One value of a configuration file, with where it starts (1-based line and column) for error messages.</summary>
internal sealed record TomlValue(TomlValueKind Kind, string? String, long Integer, bool Boolean, IReadOnlyList<string>? Strings, int Line, int Column)
{
    public static TomlValue OfString(string value, int line, int column) => new(TomlValueKind.String, value, 0, false, null, line, column);

    public static TomlValue OfInteger(long value, int line, int column) => new(TomlValueKind.Integer, null, value, false, null, line, column);

    public static TomlValue OfBoolean(bool value, int line, int column) => new(TomlValueKind.Boolean, null, 0, value, null, line, column);

    public static TomlValue OfStrings(IReadOnlyList<string> value, int line, int column) => new(TomlValueKind.StringArray, null, 0, false, value, line, column);
}
