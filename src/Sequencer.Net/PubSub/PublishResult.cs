namespace Sequencer.Net.PubSub;

/// <summary>What <see cref="GossipSubRouter.Publish"/> did: the status, how many peers the message was queued for, and its id.</summary>
public readonly record struct PublishResult(PublishStatus Status, int PeerCount, ReadOnlyMemory<byte> MessageId);
