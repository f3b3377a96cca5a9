namespace Sequencer.Net.PubSub;

/// <summary>
/// Receives each message of a subscribed topic that its validator accepted, once, after it has been forwarded. Runs
/// on the thread that received the message; it should return quickly and must not throw (a failure is counted in
/// <see cref="GossipSubCounters.HandlerFailures"/> and otherwise ignored).
/// </summary>
public delegate void PubSubMessageHandler(PubSubMessage message);
