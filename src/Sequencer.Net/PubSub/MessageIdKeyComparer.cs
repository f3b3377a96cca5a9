namespace Sequencer.Net.PubSub;

/// <summary>
/// Lets id-keyed tables be probed with the id's bytes (a span into an RPC, or a stack buffer), so looking up the
/// copies of a message every peer sends allocates nothing. A key created from a span owns a copy of it.
/// </summary>
internal sealed class MessageIdKeyComparer : IEqualityComparer<MessageIdKey>, IAlternateEqualityComparer<ReadOnlySpan<byte>, MessageIdKey>
{
    public static MessageIdKeyComparer Instance { get; } = new();

    public bool Equals(MessageIdKey x, MessageIdKey y) => x.Equals(y);

    public int GetHashCode(MessageIdKey key) => key.GetHashCode();

    public bool Equals(ReadOnlySpan<byte> alternate, MessageIdKey other) => alternate.SequenceEqual(other.Id.Span);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => MessageIdKey.Hash(alternate);

    public MessageIdKey Create(ReadOnlySpan<byte> alternate) => new(alternate.ToArray());
}
