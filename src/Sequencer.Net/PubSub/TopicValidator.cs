namespace Sequencer.Net.PubSub;

/// <summary>
/// Decides whether a received message of a topic is delivered and forwarded (gossipsub v1.1 extended validators).
/// Runs before the message reaches any subscriber or peer, on the receiving peer's task, once per message; while it
/// runs, further copies from other peers are held as duplicates. A validator that throws counts as
/// <see cref="ValidationResult.Ignore"/>.
/// </summary>
public delegate ValueTask<ValidationResult> TopicValidator(PubSubMessage message);
