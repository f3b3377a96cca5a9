namespace Sequencer.Core.Wire;

/// <summary>
/// The first byte of every message. A change to any layout or signing encoding takes a new version; a node refuses
/// versions it does not speak with <see cref="WireError.UnsupportedVersion"/> rather than guessing.
/// </summary>
public static class WireVersion
{
    public const byte Current = 1;
}
