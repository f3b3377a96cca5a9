using System.Collections.Frozen;

namespace Sequencer.Net.Host;

/// <summary>
/// The protocol handlers of a host. Lookups (every inbound stream) read an immutable snapshot without locking;
/// registrations replace the snapshot. The ordered id list is what multistream-select offers and <c>ls</c> answers,
/// and what identify announces.
/// </summary>
internal sealed class ProtocolRegistry
{
    private readonly Lock _gate = new();
    private Snapshot _snapshot = new(FrozenDictionary<string, StreamHandler>.Empty, []);

    /// <summary>The registered protocol ids, in registration order.</summary>
    public IReadOnlyList<string> Ids => Volatile.Read(ref _snapshot).Ids;

    public bool TryGet(string protocol, out StreamHandler? handler) =>
        Volatile.Read(ref _snapshot).Handlers.TryGetValue(protocol, out handler);

    /// <summary>Registers or replaces the handler of <paramref name="protocol"/>.</summary>
    public void Set(string protocol, StreamHandler handler)
    {
        lock (_gate)
        {
            var current = _snapshot;
            var handlers = new Dictionary<string, StreamHandler>(current.Handlers, StringComparer.Ordinal) { [protocol] = handler };
            var ids = current.Handlers.ContainsKey(protocol) ? current.Ids : [.. current.Ids, protocol];
            Volatile.Write(ref _snapshot, new Snapshot(handlers.ToFrozenDictionary(StringComparer.Ordinal), ids));
        }
    }

    public bool Remove(string protocol)
    {
        lock (_gate)
        {
            var current = _snapshot;
            if (!current.Handlers.ContainsKey(protocol))
                return false;
            var handlers = new Dictionary<string, StreamHandler>(current.Handlers, StringComparer.Ordinal);
            handlers.Remove(protocol);
            var ids = Array.FindAll(current.Ids, id => !string.Equals(id, protocol, StringComparison.Ordinal));
            Volatile.Write(ref _snapshot, new Snapshot(handlers.ToFrozenDictionary(StringComparer.Ordinal), ids));
            return true;
        }
    }

    private sealed record Snapshot(FrozenDictionary<string, StreamHandler> Handlers, string[] Ids);
}
