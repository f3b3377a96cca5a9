namespace Sequencer.Net.Multistream;

/// <summary>A failed multistream-select negotiation; the channel it ran on is in an undefined state and must be closed.</summary>
public sealed class MultistreamException(MultistreamError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public MultistreamError Error { get; } = error;
}
