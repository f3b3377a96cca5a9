namespace Sequencer.Core.Safety;

/// <summary>
/// Durable safety state exists but cannot be trusted or used. The node must refuse to start rather than start
/// fresh: a validator that forgot what it signed can sign a conflicting vote at a height it already voted on.
/// </summary>
public sealed class SafetyStateException(string path, SafetyStateDefect defect, long offset, string detail)
    : Exception($"safety state {path} is unusable ({defect} at byte {offset}): {detail}")
{
    public string Path { get; } = path;

    public SafetyStateDefect Defect { get; } = defect;

    /// <summary>The byte offset in the file where the defect was found (0 for whole-file defects).</summary>
    public long Offset { get; } = offset;
}
