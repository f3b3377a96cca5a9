using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Ports;
namespace Sequencer.Net.Consensus;

/// <summary>
/// Inbound requests handed to the engine and not yet answered, by <see cref="InboundRequestId"/>. A response takes its
/// request out of the table, so a second response to one id finds nothing and sends nothing (at most once); a request
/// the engine never answers is taken out when it expires, so the table cannot grow without bound. Any thread.
/// Generic over the request so that its bookkeeping is testable without streams.
/// </summary>
/// <param name="refuse">Releases a request nobody will answer (for a stream request: reset it, so its buffer and stream go).</param>
internal sealed class InboundRequestTable<TRequest>(TimeProvider time, TimeSpan lifetime, Action<TRequest> refuse)
    where TRequest : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Entry> _pending = [];
    private long _nextId;

    public int Count
    {
        get
        {
            lock (_gate)
                return _pending.Count;
        }
    }

    /// <summary>Registers a request and returns the id the engine will answer it by.</summary>
    public InboundRequestId Add(TRequest request)
    {
        var id = Interlocked.Increment(ref _nextId);
        var expires = time.GetTimestamp() + (long)(lifetime.TotalSeconds * time.TimestampFrequency);
        lock (_gate)
            _pending.Add(id, new Entry(request, expires));
        return new InboundRequestId(id);
    }

    /// <summary>Takes the request out; false when it was answered already, expired, or never existed.</summary>
    public bool TryTake(InboundRequestId id, [NotNullWhen(true)] out TRequest? request)
    {
        lock (_gate)
        {
            if (_pending.Remove(id.Value, out var entry))
            {
                request = entry.Request;
                return true;
            }
        }
        request = null;
        return false;
    }

    /// <summary>Refuses and forgets every request past its lifetime (the stream layer has reset them already); returns how many.</summary>
    public int Expire()
    {
        var now = time.GetTimestamp();
        List<TRequest>? expired = null;
        lock (_gate)
        {
            foreach (var (id, entry) in _pending)
            {
                if (entry.Expires <= now)
                {
                    (expired ??= []).Add(entry.Request);
                    _pending.Remove(id);
                }
            }
        }
        if (expired is null)
            return 0;
        foreach (var request in expired)
            refuse(request);
        return expired.Count;
    }

    /// <summary>Refuses and forgets every pending request (the node is stopping).</summary>
    public void RefuseAll()
    {
        TRequest[] all;
        lock (_gate)
        {
            all = new TRequest[_pending.Count];
            var index = 0;
            foreach (var entry in _pending.Values)
                all[index++] = entry.Request;
            _pending.Clear();
        }
        foreach (var request in all)
            refuse(request);
    }

    private readonly record struct Entry(TRequest Request, long Expires);
}
