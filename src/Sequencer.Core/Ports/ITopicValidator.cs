namespace Sequencer.Core.Ports;

/// <summary>
/// Admits or refuses a message on a topic before it is delivered or forwarded (DESIGN §3 step 3: only the committee and
/// the sequencer, only this round). Called from network threads, concurrently: an implementation reads only immutable
/// round facts (committee, round id, directory hash) and must not touch the node's mutable state.
/// </summary>
public interface ITopicValidator
{
    /// <param name="fromValidator">The directory index of the authenticated sender (the transport maps the signing peer id), or -1 when the sender is not in the directory.</param>
    TopicVerdict Validate(int fromValidator, ReadOnlySpan<byte> payload);
}
