namespace Sequencer.Net.PubSub;

/// <summary>Everything the router knows about one topic. Guarded by the router's lock.</summary>
internal sealed class TopicState(string name, byte[] nameUtf8)
{
    public string Name { get; } = name;

    public byte[] NameUtf8 { get; } = nameUtf8;

    public bool Subscribed;
    public PubSubMessageHandler? Handler;
    public TopicValidator? Validator;

    /// <summary>Connected peers that announced a subscription to the topic.</summary>
    public HashSet<PubSubPeer> Peers { get; } = [];

    /// <summary>Our mesh for the topic (empty unless subscribed).</summary>
    public HashSet<PubSubPeer> Mesh { get; } = [];

    /// <summary>Peers our own messages go to while we publish without subscribing (null when not publishing).</summary>
    public HashSet<PubSubPeer>? Fanout;
    public long FanoutLastPublished;

    /// <summary>Peer id → timestamp before which neither side grafts the other (set by PRUNE either way).</summary>
    public Dictionary<byte[], long> Backoff { get; } = new(ByteKeyComparer.Instance);

    public bool IsUnused =>
        !Subscribed && Validator is null && Fanout is null && Peers.Count == 0 && Mesh.Count == 0 && Backoff.Count == 0;
}
