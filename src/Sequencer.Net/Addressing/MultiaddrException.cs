namespace Sequencer.Net.Addressing;

/// <summary>A malformed multiaddr; <see cref="Error"/> says which rule it broke.</summary>
public sealed class MultiaddrException(MultiaddrError error, string message) : FormatException(message)
{
    public MultiaddrError Error { get; } = error;
}
