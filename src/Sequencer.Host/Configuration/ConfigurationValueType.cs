namespace Sequencer.Host.Configuration;

/// <summary>What a configuration key holds: decides how the file, an environment variable or a flag spell it.</summary>
internal enum ConfigurationValueType
{
    /// <summary>A file path: relative paths in the file are relative to the file's directory, elsewhere to the working directory.</summary>
    Path,

    /// <summary>Free text (a TOML string).</summary>
    String,

    /// <summary>A 32-bit integer (a TOML integer).</summary>
    Integer,

    /// <summary>A TCP port 0 … 65535 (0: any free port).</summary>
    Port,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A duration string such as "20s" or "1m30s" (see <see cref="Duration"/>).</summary>
    Duration,

    /// <summary>Strings: a TOML array in the file, comma-separated in an environment variable or a flag.</summary>
    StringList,

    /// <summary><c>text</c> or <c>json</c>.</summary>
    LogFormat,

    /// <summary><c>trace</c>, <c>debug</c>, <c>info</c>, <c>warn</c> or <c>error</c>.</summary>
    LogLevel,
}
