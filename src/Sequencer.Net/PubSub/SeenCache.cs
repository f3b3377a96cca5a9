namespace Sequencer.Net.PubSub;

/// <summary>
/// The ids of every message handled in the last <c>SeenTtl</c> (120 s by default), so that each is processed once
/// however many peers send it. Entries come in time order with one TTL, so a queue gives the expiry order. Ids are
/// copied into 64 KiB chunks that are reused once every id in them has expired: in steady state remembering a
/// message allocates nothing, and checking one (the common, duplicate case) never does.
/// </summary>
internal sealed class SeenCache(RouterClock clock, TimeSpan ttl)
{
    private const int ChunkSize = 64 * 1024;

    private readonly Dictionary<MessageIdKey, SeenEntry> _entries = new(MessageIdKeyComparer.Instance);
    private readonly Queue<(long ExpiresAt, MessageIdKey Key, Chunk Chunk)> _expiry = new();
    private readonly Stack<Chunk> _freeChunks = new();
    private readonly long _ttl = clock.Ticks(ttl);
    private Chunk _current = new();

    private Dictionary<MessageIdKey, SeenEntry>.AlternateLookup<ReadOnlySpan<byte>> ById =>
        _entries.GetAlternateLookup<ReadOnlySpan<byte>>();

    public int Count => _entries.Count;

    public bool Contains(ReadOnlySpan<byte> id) => ById.ContainsKey(id);

    public bool TryGet(ReadOnlySpan<byte> id, out SeenEntry entry) => ById.TryGetValue(id, out entry);

    /// <summary>Records a message first seen now; false if it was already there.</summary>
    public bool TryAdd(ReadOnlySpan<byte> id, DeliveryStatus status)
    {
        if (ById.ContainsKey(id))
            return false;
        if (id.Length > ChunkSize)
            throw new ArgumentOutOfRangeException(nameof(id), id.Length, $"message ids are at most {ChunkSize} bytes");
        if (_current.Used + id.Length > ChunkSize)
        {
            var full = _current;
            _current = _freeChunks.TryPop(out var free) ? free.Reset() : new Chunk();
            if (full.Live == 0)
                _freeChunks.Push(full);
        }
        var chunk = _current;
        var copy = chunk.Bytes.AsMemory(chunk.Used, id.Length);
        id.CopyTo(chunk.Bytes.AsSpan(chunk.Used));
        chunk.Used += id.Length;
        chunk.Live++;
        var now = clock.Now;
        var key = new MessageIdKey(copy);
        _entries.Add(key, new SeenEntry(status, now));
        _expiry.Enqueue((now + _ttl, key, chunk));
        return true;
    }

    /// <summary>Records the outcome of validation (and when it came: near-first deliveries are timed from it).</summary>
    public void SetStatus(ReadOnlySpan<byte> id, DeliveryStatus status)
    {
        var byId = ById;
        if (byId.ContainsKey(id))
            byId[id] = new SeenEntry(status, clock.Now);
    }

    public void Expire()
    {
        var now = clock.Now;
        while (_expiry.TryPeek(out var head) && head.ExpiresAt <= now)
        {
            _expiry.Dequeue();
            _entries.Remove(head.Key);
            if (--head.Chunk.Live == 0 && head.Chunk != _current)
                _freeChunks.Push(head.Chunk);
        }
    }

    private sealed class Chunk
    {
        public readonly byte[] Bytes = new byte[ChunkSize];
        public int Used;
        public int Live;

        public Chunk Reset()
        {
            Used = 0;
            return this;
        }
    }
}
