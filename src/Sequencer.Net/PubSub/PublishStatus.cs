namespace Sequencer.Net.PubSub;

public enum PublishStatus
{
    Published,
    /// <summary>No peer to send it to and <see cref="GossipSubOptions.AllowPublishToZeroPeers"/> is off; nothing was sent.</summary>
    NoPeers,
    /// <summary>The encoded message would exceed <see cref="GossipSubOptions.MaxMessageSize"/>; nothing was sent.</summary>
    MessageTooLarge,
}
