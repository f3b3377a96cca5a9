using Sequencer.Net.PubSub;

namespace Sequencer.Net.Host;

/// <summary>
/// Binds the <see cref="GossipSubRouter"/> to the host's connections: registers the meshsub protocols
/// (<see cref="PubSubProtocols.All"/>: 1.2, 1.1, 1.0), keeps one <see cref="GossipSubBinding"/> per connection, opens
/// our stream to every peer whose identify lists meshsub, and disconnects a peer the router gives up on.
/// </summary>
internal sealed class GossipSubService(GossipSubRouter router, long queueLimit, BackgroundTasks tasks,
    Action<PeerConnection, Exception> onProtocolViolation) : IDisposable
{
    private int _congestedLinks;

    public GossipSubRouter Router => router;

    /// <summary>Completes when no link to any of <paramref name="connections"/> is congested.</summary>
    public async Task WaitForRoomAsync(Func<IReadOnlyList<PeerConnection>> connections, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _congestedLinks) > 0)
        {
            foreach (var connection in connections())
            {
                if (Volatile.Read(ref connection.GossipSub) is { } binding)
                    await binding.Link.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
            }
            // A link of a connection that closed meanwhile counts as relieved once its binding closes; loop until none is left.
            if (Volatile.Read(ref _congestedLinks) > 0)
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task ServeInboundAsync(ProtocolStream stream, CancellationToken cancellationToken) =>
        BindingOf(stream.Connection)?.ServeInboundAsync(stream, cancellationToken) ?? Task.CompletedTask;

    public void OnIdentified(PeerConnection connection, IReadOnlyList<string> protocols)
    {
        foreach (var protocol in protocols)
        {
            if (PubSubProtocols.TryParse(protocol, out _))
            {
                BindingOf(connection)?.EnsureOutbound();
                return;
            }
        }
    }

    public void OnConnectionClosed(PeerConnection connection) =>
        Interlocked.Exchange(ref connection.GossipSub, null)?.Close();

    public void Dispose() => router.Dispose();

    /// <summary>The connection's live binding, created if it has none (or only an ended one); null once it is closed.</summary>
    private GossipSubBinding? BindingOf(PeerConnection connection)
    {
        while (true)
        {
            var current = Volatile.Read(ref connection.GossipSub);
            if (current is { IsClosed: false })
                return current;
            if (connection.IsClosed)
                return null;
            var created = new GossipSubBinding(connection, router, queueLimit, tasks, onProtocolViolation,
                change => Interlocked.Add(ref _congestedLinks, change));
            if (Interlocked.CompareExchange(ref connection.GossipSub, created, current) == current)
            {
                // Closed meanwhile: the close handler may have run before the binding was installed.
                if (connection.IsClosed)
                {
                    OnConnectionClosed(connection);
                    return null;
                }
                return created;
            }
        }
    }
}
