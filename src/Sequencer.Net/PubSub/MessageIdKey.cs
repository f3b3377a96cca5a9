namespace Sequencer.Net.PubSub;

/// <summary>
/// A message id as a dictionary key: the id's bytes (wherever they live — in a cached message, an RPC being handled,
/// the seen cache's arena) with their hash computed once. Hashes are seeded per process (<see cref="HashCode"/>), so a
/// peer cannot choose ids that collide in our tables; equal hashes are settled by comparing the bytes.
/// </summary>
internal readonly struct MessageIdKey : IEquatable<MessageIdKey>
{
    private readonly int _hash;

    public MessageIdKey(ReadOnlyMemory<byte> id)
    {
        Id = id;
        _hash = Hash(id.Span);
    }

    public ReadOnlyMemory<byte> Id { get; }

    public static int Hash(ReadOnlySpan<byte> id)
    {
        var hash = new HashCode();
        hash.AddBytes(id);
        return hash.ToHashCode();
    }

    public bool Equals(MessageIdKey other) => _hash == other._hash && Id.Span.SequenceEqual(other.Id.Span);

    public override bool Equals(object? obj) => obj is MessageIdKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
