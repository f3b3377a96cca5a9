namespace Sequencer.Host.Logging;

/// <summary>Log severities, least severe first; a logger writes its level and everything above it.</summary>
internal enum LogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}
