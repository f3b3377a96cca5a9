namespace Sequencer.Core.Committee;

/// <summary>The sequencer cannot draw a committee with what it was given (its own configuration, not a peer's message).</summary>
public sealed class CommitteeException(CommitteeRefusal refusal, string message) : Exception(message)
{
    public CommitteeRefusal Refusal { get; } = refusal;
}
