namespace Sequencer.Host.Configuration;

/// <summary>How log lines are written to stderr: <c>text</c> for people, <c>json</c> (one object per line) for collectors.</summary>
internal enum LogFormat
{
    Text,
    Json,
}
