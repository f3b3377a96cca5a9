namespace Sequencer.Net.PubSub;

/// <summary>
/// The ids of every message handled in the last <c>SeenTtl</c> (120 s by default), so that each is processed once
/// however many peers send it. Entries are added in time order with one TTL, so a queue gives the expiry order;
/// steady state allocates nothing.
/// </summary>
internal sealed class SeenCache(RouterClock clock, TimeSpan ttl)
{
    private readonly Dictionary<MessageDigest, SeenEntry> _entries = new();
    private readonly Queue<(long ExpiresAt, MessageDigest Digest)> _expiry = new();
    private readonly long _ttl = clock.Ticks(ttl);

    public int Count => _entries.Count;

    public bool Contains(MessageDigest digest) => _entries.ContainsKey(digest);

    public bool TryGet(MessageDigest digest, out SeenEntry entry) => _entries.TryGetValue(digest, out entry);

    /// <summary>Records a message first seen now; false if it was already there.</summary>
    public bool TryAdd(MessageDigest digest, DeliveryStatus status)
    {
        var now = clock.Now;
        if (!_entries.TryAdd(digest, new SeenEntry(status, now)))
            return false;
        _expiry.Enqueue((now + _ttl, digest));
        return true;
    }

    /// <summary>Records the outcome of validation (and when it came: near-first deliveries are timed from it).</summary>
    public void SetStatus(MessageDigest digest, DeliveryStatus status)
    {
        if (_entries.ContainsKey(digest))
            _entries[digest] = new SeenEntry(status, clock.Now);
    }

    public void Expire()
    {
        var now = clock.Now;
        while (_expiry.TryPeek(out var head) && head.ExpiresAt <= now)
        {
            _expiry.Dequeue();
            _entries.Remove(head.Digest);
        }
    }
}
