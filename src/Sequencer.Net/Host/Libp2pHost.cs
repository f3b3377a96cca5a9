using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;
using Sequencer.Net.Identify;
using Sequencer.Net.Multistream;
using Sequencer.Net.Noise;
using Sequencer.Net.Ping;
using Sequencer.Net.PubSub;
using Sequencer.Net.Streams;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Host;

/// <summary>
/// A libp2p host: one identity, TCP listeners, upgraded connections (Noise, yamux) to authenticated peers, protocol
/// handlers for inbound streams, identify and ping on every connection, GossipSub bound to all peers that speak it,
/// and the sequencer's direct request/response streams.
/// <para>
/// Connections: at most one per peer. Dials to a peer already connected return its connection; concurrent dials to one
/// peer share one attempt. When both peers dial each other at once, both ends keep the same connection — the one
/// dialled by the peer with the smaller id (ties: the smaller Noise handshake hash) — and close the other, so no
/// protocol ever sees two; a new connection from a peer whose connection is already established replaces it (the
/// peer may have restarted). Connections beyond <see cref="Libp2pHostOptions.MaxConnections"/> are refused (inbound ones
/// reset at once). A failed upgrade resets its own socket and nothing else.
/// </para>
/// <para>
/// Events (<see cref="PeerConnected"/>, <see cref="PeerDisconnected"/>, <see cref="PeerIdentified"/>) are per peer,
/// raised on network threads; a handler must return quickly and cannot fail the host (its exceptions are swallowed).
/// </para>
/// </summary>
public sealed class Libp2pHost : IAsyncDisposable
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Libp2pHostOptions _options;
    private readonly TimeProvider _time;
    private readonly NoiseSecurity _noise;
    private readonly TcpTransport _transport;
    private readonly ConnectionUpgrader _upgrader;
    private readonly MultistreamOptions _streamNegotiation;
    private readonly ProtocolRegistry _protocols = new();
    private readonly BackgroundTasks _tasks = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<PeerId, PeerConnection> _connections = [];
    private readonly Dictionary<PeerId, Task<PeerConnection>> _dials = [];
    private readonly List<TcpConnectionListener> _listeners = [];
    private readonly IdentifyService _identify;
    private readonly GossipSubService? _pubsub;
    private readonly RequestResponseService _requests;
    private IReadOnlyList<Multiaddr> _listenAddresses = [];
    private IReadOnlyList<Multiaddr> _announcedAddresses = [];
    private int _connectionSlots;
    private bool _disposed;

    private Libp2pHost(PeerPrivateKey identity, Libp2pHostOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        PublicKey = identity.PublicKey;
        PeerId = PublicKey.ToPeerId();
        Peers = new PeerStore(options.MaxStoredPeers);
        _noise = new NoiseSecurity(identity, new NoiseOptions
        {
            StreamMuxers = options.MuxerInNoise ? [NoiseOptions.YamuxProtocolId] : [],
            HandshakeTimeout = options.UpgradeTimeout,
            CloseTimeout = options.CloseTimeout,
            TimeProvider = _time,
        });
        _transport = new TcpTransport(options.Transport);
        _streamNegotiation = new MultistreamOptions { Timeout = options.StreamNegotiationTimeout, TimeProvider = _time };
        _upgrader = new ConnectionUpgrader(_noise, options, _streamNegotiation);
        _requests = new RequestResponseService(options.Requests, _time);
        _identify = new IdentifyService(PublicKey, () => _announcedAddresses, () => _protocols.Ids, Peers,
            options.Identify, OnIdentified);
        if (options.PubSub is { } pubsub)
        {
            var router = GossipSubRouter.ForIdentity(pubsub, identity, _time, options.Random ?? new Random());
            _pubsub = new GossipSubService(router, options.PubSubQueueLimit, _tasks, DisconnectForViolation);
        }
    }

    /// <summary>A peer got its first connection.</summary>
    public event Action<PeerConnection>? PeerConnected;

    /// <summary>A peer lost its last connection (<see cref="PeerConnection.CloseReason"/> says why).</summary>
    public event Action<PeerConnection>? PeerDisconnected;

    /// <summary>A peer answered identify (or pushed an update); its store entry is updated before this fires.</summary>
    public event Action<PeerConnection, IdentifyMessage>? PeerIdentified;

    public PeerId PeerId { get; }

    public PeerPublicKey PublicKey { get; }

    /// <summary>The bound listen addresses with <c>/p2p/&lt;id&gt;</c>, as peers dial them.</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses => _listenAddresses;

    public PeerStore Peers { get; }

    /// <summary>The GossipSub router (subscriptions, validators, scores); throws when pubsub is disabled.</summary>
    public GossipSubRouter PubSub => _pubsub?.Router ?? throw new InvalidOperationException("this host runs without pubsub (Libp2pHostOptions.PubSub is null)");

    /// <summary>The registered protocol ids (what identify announces).</summary>
    public IReadOnlyList<string> Protocols => _protocols.Ids;

    /// <summary>Identify exchanges this host started that got no usable answer.</summary>
    public long IdentifyFailures => _identify.Failures;

    /// <summary>
    /// Starts a host: registers identify, ping, meshsub (when pubsub is on), listens on the configured addresses and
    /// starts the GossipSub heartbeat. <paramref name="identity"/> must outlive the host (GossipSub signs with it).
    /// </summary>
    /// <exception cref="TransportException">A listen address cannot be bound.</exception>
    public static Libp2pHost Start(PeerPrivateKey identity, Libp2pHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        options ??= new Libp2pHostOptions();
        options.Validate();
        var host = new Libp2pHost(identity, options);
        try
        {
            host.RegisterBuiltInProtocols();
            host.Listen(options.ListenAddresses);
            host._pubsub?.Router.Start();
        }
        catch
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return host;
    }

    /// <summary>The open connection to <paramref name="peer"/>, if there is one.</summary>
    public bool TryGetConnection(PeerId peer, out PeerConnection? connection)
    {
        lock (_gate)
        {
            if (_connections.TryGetValue(peer, out connection) && !connection.IsClosed)
                return true;
        }
        connection = null;
        return false;
    }

    /// <summary>The open connections (a snapshot).</summary>
    public IReadOnlyList<PeerConnection> GetConnections()
    {
        lock (_gate)
            return [.. _connections.Values];
    }

    /// <summary>
    /// Connects to <paramref name="address"/> (<c>/ip4|ip6|dns…/tcp/…[/p2p/&lt;id&gt;]</c>). With a <c>/p2p</c> part the
    /// peer must prove that identity, and an existing or pending connection to it is reused.
    /// </summary>
    /// <exception cref="HostException">The dial or the upgrade failed (see <see cref="HostException.Error"/>).</exception>
    public async Task<PeerConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.TryGetPeerId(out var peer))
            return await DialNewAsync(address, expectedPeer: null).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (peer == PeerId)
            throw new HostException(HostError.SelfDial, $"{address} is this host's own address");
        return await SharedDialAsync(peer, () => DialNewAsync(address, peer)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The connection to <paramref name="peer"/>: the open one, or a new one dialled at its known addresses (<see cref="Peers"/>).</summary>
    /// <exception cref="HostException"><see cref="HostError.NoAddresses"/> when none is known, else why the last address failed.</exception>
    public Task<PeerConnection> ConnectAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        if (peer == PeerId)
            throw new HostException(HostError.SelfDial, "a host cannot connect to itself");
        return SharedDialAsync(peer, () => DialKnownAddressesAsync(peer)).WaitAsync(cancellationToken);
    }

    /// <summary>Opens a stream to <paramref name="peer"/> (connecting first if needed) for the first of <paramref name="protocols"/> it supports.</summary>
    /// <exception cref="HostException">Connecting failed, or <see cref="HostError.ProtocolNotSupported"/>, or the negotiation failed.</exception>
    public async Task<ProtocolStream> OpenStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        var connection = await ConnectAsync(peer, cancellationToken).ConfigureAwait(false);
        return await connection.OpenStreamAsync(protocols, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers (or replaces) the handler of inbound streams for <paramref name="protocol"/>.</summary>
    public void SetStreamHandler(string protocol, StreamHandler handler)
    {
        ValidateProtocolId(protocol);
        ArgumentNullException.ThrowIfNull(handler);
        _protocols.Set(protocol, handler);
    }

    /// <summary>Unregisters <paramref name="protocol"/>: later proposals of it are answered <c>na</c>.</summary>
    public bool RemoveStreamHandler(string protocol) => _protocols.Remove(protocol);

    /// <summary>
    /// Registers a request/response protocol: each inbound stream's request frame goes to <paramref name="handler"/>
    /// with the authenticated sender; its answer goes back as one frame.
    /// </summary>
    public void SetRequestHandler(string protocol, RequestHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        SetStreamHandler(protocol, _requests.CreateStreamHandler(handler));
    }

    /// <summary>
    /// Sends one request frame to <paramref name="peer"/> on a new <paramref name="protocol"/> stream (connecting first
    /// if needed) and returns the response frame; <paramref name="timeout"/> bounds all of it.
    /// </summary>
    /// <exception cref="RequestException">No response; <see cref="RequestException.Error"/> says why.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The request exceeds <see cref="RequestOptions.MaxRequestSize"/>.</exception>
    public async Task<RequestResponse> SendRequestAsync(PeerId peer, string protocol, ReadOnlyMemory<byte> request, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Length, _options.Requests.MaxRequestSize, nameof(request));
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var stream = await OpenStreamAsync(peer, [protocol], linked.Token).ConfigureAwait(false);
            return await _requests.ExchangeAsync(stream, request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RequestException(RequestError.Timeout, peer, protocol, $"{protocol} request to {peer}: no response within {timeout}", e);
        }
        catch (HostException e)
        {
            var error = e.Error switch
            {
                HostError.ProtocolNotSupported => RequestError.ProtocolNotSupported,
                HostError.StreamNegotiationFailed => RequestError.Refused,
                _ => RequestError.Unreachable,
            };
            throw new RequestException(error, peer, protocol, $"{protocol} request to {peer}: {e.Message}", e);
        }
    }

    /// <summary>Pings <paramref name="peer"/> once (<c>/ipfs/ping/1.0.0</c>) and returns the round trip.</summary>
    /// <exception cref="PingException">No echo within <see cref="Libp2pHostOptions.PingTimeout"/>, or a wrong one.</exception>
    public async Task<TimeSpan> PingAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        var stream = await OpenStreamAsync(peer, [PingProtocol.ProtocolId], cancellationToken).ConfigureAwait(false);
        try
        {
            var rtt = await PingProtocol.PingAsync(stream, _options.PingTimeout, _time, cancellationToken).ConfigureAwait(false);
            await stream.CloseAsync().ConfigureAwait(false);
            return rtt;
        }
        catch
        {
            stream.Reset();
            throw;
        }
    }

    /// <summary>Subscribes to <paramref name="topic"/>; accepted messages go to <paramref name="handler"/>.</summary>
    public void Subscribe(string topic, PubSubMessageHandler handler) => PubSub.Subscribe(topic, handler);

    public void Unsubscribe(string topic) => PubSub.Unsubscribe(topic);

    /// <summary>Publishes <paramref name="data"/> on <paramref name="topic"/> (signed under StrictSign).</summary>
    public PublishResult Publish(string topic, ReadOnlySpan<byte> data) => PubSub.Publish(topic, data);

    /// <summary>
    /// Completes when GossipSub has room to queue for every peer: a link more than half full counts as congested until
    /// it drains to a quarter. A publisher that would rather slow down than have its messages dropped at a slow peer
    /// (the router drops frames for a full link) awaits this before publishing.
    /// </summary>
    public Task WaitForPubSubRoomAsync(CancellationToken cancellationToken = default) =>
        _pubsub is null ? throw new InvalidOperationException("this host runs without pubsub") : _pubsub.WaitForRoomAsync(GetConnections, cancellationToken);

    /// <summary>
    /// Sets the validator every received message of <paramref name="topic"/> must pass before delivery or forwarding
    /// (null removes it). Under StrictSign, <see cref="PubSubAuthor.TryGet"/> gives the message's authenticated author.
    /// </summary>
    public void SetTopicValidator(string topic, TopicValidator? validator) => PubSub.SetTopicValidator(topic, validator);

    /// <summary>
    /// Closes every connection and listener and stops all background work, within about twice
    /// <see cref="Libp2pHostOptions.CloseTimeout"/> (connections that do not close in time are reset).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        PeerConnection[] connections;
        TcpConnectionListener[] listeners;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            connections = [.. _connections.Values];
            listeners = [.. _listeners];
        }
        _stopping.Cancel();
        foreach (var listener in listeners)
            await listener.DisposeAsync().ConfigureAwait(false);
        var closing = new Task[connections.Length];
        for (var i = 0; i < connections.Length; i++)
            closing[i] = CloseAndForgetAsync(connections[i]);
        try
        {
            await Task.WhenAll(closing).WaitAsync(_options.CloseTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Each connection resets itself when its own close times out; the wait below bounds the rest.
        }
        await _tasks.WhenAllAsync(_options.CloseTimeout, _time).ConfigureAwait(false);
        _pubsub?.Dispose();
        _noise.Dispose();
    }

    public override string ToString() => $"libp2p host {PeerId}";

    private static async Task CloseAndForgetAsync(PeerConnection connection)
    {
        await connection.CloseAsync().ConfigureAwait(false);
        await connection.Forgotten.ConfigureAwait(false);
    }

    // ---- start ----

    private void RegisterBuiltInProtocols()
    {
        _protocols.Set(IdentifyProtocol.ProtocolId, _identify.RespondAsync);
        _protocols.Set(IdentifyService.PushProtocolId, _identify.ReceivePushAsync);
        _protocols.Set(PingProtocol.ProtocolId, static (stream, cancellationToken) => PingProtocol.RespondAsync(stream, cancellationToken));
        if (_pubsub is not null)
        {
            foreach (var protocol in PubSubProtocols.All)
                _protocols.Set(protocol, _pubsub.ServeInboundAsync);
        }
    }

    private void Listen(IReadOnlyList<Multiaddr> addresses)
    {
        var bound = new List<Multiaddr>();
        foreach (var address in addresses)
        {
            var listener = _transport.Listen(address.WithoutPeerId());
            lock (_gate)
                _listeners.Add(listener);
            bound.Add(listener.LocalAddress);
            _tasks.Add(AcceptConnectionsAsync(listener));
        }
        _announcedAddresses = bound;
        _listenAddresses = bound.ConvertAll(address => address.WithPeerId(PeerId));
    }

    // ---- connections ----

    private async Task AcceptConnectionsAsync(TcpConnectionListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpConnection? connection;
            try
            {
                connection = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Out of file descriptors or buffers, for instance: keep listening once the pressure may have eased.
                await Task.Delay(AcceptRetryDelay, _time, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            if (connection is null)
                return;
            if (!TryTakeSlot())
            {
                connection.Abort();
                _tasks.Add(connection.DisposeAsync().AsTask());
                continue;
            }
            _tasks.Add(UpgradeInboundAsync(connection));
        }
    }

    private async Task UpgradeInboundAsync(TcpConnection connection)
    {
        PeerConnection upgraded;
        try
        {
            upgraded = await _upgrader.UpgradeAsync(connection, expectedPeer: null, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HostException or OperationCanceledException)
        {
            // The peer failed its handshake: its socket is reset, nobody else is affected.
            ReleaseSlot();
            return;
        }
        try
        {
            Register(upgraded);
        }
        catch (HostException)
        {
            // The host closed meanwhile; Register closed the connection.
        }
    }

    private Task<PeerConnection> SharedDialAsync(PeerId peer, Func<Task<PeerConnection>> dial)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connections.TryGetValue(peer, out var existing) && !existing.IsClosed)
                return Task.FromResult(existing);
            if (_dials.TryGetValue(peer, out var pending))
                return pending;
            var started = dial();
            if (!started.IsCompleted)
            {
                _dials[peer] = started;
                started.ContinueWith(static (done, state) =>
                {
                    var (host, peer) = ((Libp2pHost, PeerId))state!;
                    lock (host._gate)
                    {
                        if (host._dials.TryGetValue(peer, out var current) && current == done)
                            host._dials.Remove(peer);
                    }
                }, (this, peer), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            return started;
        }
    }

    private async Task<PeerConnection> DialKnownAddressesAsync(PeerId peer)
    {
        await Task.Yield();
        var addresses = Peers.GetAddresses(peer);
        if (addresses.Count == 0)
            throw new HostException(HostError.NoAddresses, $"{peer} is not connected and no address of it is known");
        HostException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await DialNewAsync(address, peer).ConfigureAwait(false);
            }
            catch (HostException e) when (e.Error is not HostError.HostClosed and not HostError.ConnectionLimitReached)
            {
                last = e;
            }
        }
        throw last!;
    }

    private async Task<PeerConnection> DialNewAsync(Multiaddr address, PeerId? expectedPeer)
    {
        // Dials run detached from any one caller's token (concurrent callers share them); the host's stop ends them.
        await Task.Yield();
        if (!TryTakeSlot())
            throw new HostException(HostError.ConnectionLimitReached, $"cannot dial {address}: {_options.MaxConnections} connections are open or opening");
        PeerConnection upgraded;
        try
        {
            var connection = await _transport.DialAsync(address.WithoutPeerId(), _stopping.Token).ConfigureAwait(false);
            upgraded = await _upgrader.UpgradeAsync(connection, expectedPeer, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ReleaseSlot();
            throw e switch
            {
                TransportException transport => new HostException(HostError.DialFailed, $"dialling {address} failed: {transport.Message}", transport),
                OperationCanceledException => new HostException(HostError.HostClosed, $"the host stopped while dialling {address}", e),
                _ => e,
            };
        }
        return Register(upgraded);
    }

    /// <summary>
    /// Makes <paramref name="connection"/> the peer's connection, or closes it in favour of the one both ends keep.
    /// Returns the connection to use. Its slot is released when it closes.
    /// </summary>
    private PeerConnection Register(PeerConnection connection)
    {
        var peer = connection.RemotePeer;
        PeerConnection? loser = null;
        PeerConnection? closedPredecessor = null;
        PeerConnection winner;
        var first = false;
        var disposed = false;
        connection.RegisteredAt = _time.GetTimestamp();
        lock (_gate)
        {
            if (_disposed)
            {
                disposed = true;
                winner = connection;
            }
            else if (_connections.TryGetValue(peer, out var existing) && !existing.IsClosed)
            {
                if (Prefer(connection, existing))
                {
                    _connections[peer] = connection;
                    (winner, loser) = (connection, existing);
                }
                else
                {
                    (winner, loser) = (existing, connection);
                }
            }
            else
            {
                // A predecessor that is closing but not yet gone is reported gone now, before its successor arrives.
                if (existing is not null)
                    closedPredecessor = existing;
                first = true;
                _connections[peer] = connection;
                winner = connection;
            }
        }
        connection.Forgotten = connection.Closed.ContinueWith(static (_, state) =>
        {
            var (host, closed) = ((Libp2pHost, PeerConnection))state!;
            host.OnConnectionClosed(closed);
        }, (this, connection), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        if (disposed)
        {
            _tasks.Add(connection.CloseAsync(new HostException(HostError.HostClosed, "the host is closing")));
            throw new HostException(HostError.HostClosed, $"the host closed while connecting to {peer}");
        }
        if (loser is not null)
            _tasks.Add(loser.CloseAsync(new HostException(HostError.ConnectionClosed, $"a second connection with {peer}: both ends keep the other one")));
        if (winner == connection)
        {
            _tasks.Add(AcceptStreamsAsync(connection));
            _tasks.Add(_identify.IdentifyAsync(connection));
        }
        if (closedPredecessor is not null)
            Raise(PeerDisconnected, closedPredecessor);
        if (first)
            Raise(PeerConnected, connection);
        return winner;
    }

    /// <summary>
    /// Of two connections with one peer, the one both ends keep. While the existing one is young (registered within
    /// the upgrade timeout: the two were opened at about the same time, typically both peers dialling each other), the
    /// one dialled by the peer with the smaller id, or when one peer dialled both, the one with the smaller handshake
    /// hash — both ends compute the same answer. An established connection gives way to a new one: the peer may have
    /// restarted and know only the new one, while the old is dead without our knowing yet.
    /// </summary>
    private bool Prefer(PeerConnection candidate, PeerConnection existing)
    {
        if (_time.GetElapsedTime(existing.RegisteredAt) > _options.UpgradeTimeout)
            return true;
        var candidateDialer = candidate.Direction == ConnectionDirection.Outbound ? PeerId : candidate.RemotePeer;
        var existingDialer = existing.Direction == ConnectionDirection.Outbound ? PeerId : existing.RemotePeer;
        var order = candidateDialer.Bytes.SequenceCompareTo(existingDialer.Bytes);
        return order != 0 ? order < 0 : candidate.HandshakeHash.SequenceCompareTo(existing.HandshakeHash) < 0;
    }

    private void OnConnectionClosed(PeerConnection connection)
    {
        ReleaseSlot();
        _pubsub?.OnConnectionClosed(connection);
        var last = false;
        lock (_gate)
        {
            if (_connections.TryGetValue(connection.RemotePeer, out var current) && current == connection)
            {
                _connections.Remove(connection.RemotePeer);
                last = true;
            }
        }
        if (last)
        {
            Peers.OnDisconnected(connection.RemotePeer);
            Raise(PeerDisconnected, connection);
        }
    }

    private void DisconnectForViolation(PeerConnection connection, Exception reason) =>
        _tasks.Add(connection.CloseAsync(new HostException(HostError.PubSubProtocolViolation,
            $"{connection.RemotePeer} broke the gossipsub protocol: {reason.Message}", reason)));

    private bool TryTakeSlot()
    {
        if (Interlocked.Increment(ref _connectionSlots) <= _options.MaxConnections)
            return true;
        Interlocked.Decrement(ref _connectionSlots);
        return false;
    }

    private void ReleaseSlot() => Interlocked.Decrement(ref _connectionSlots);

    // ---- streams ----

    private async Task AcceptStreamsAsync(PeerConnection connection)
    {
        try
        {
            while (await connection.Session.AcceptStreamAsync(connection.Closing).ConfigureAwait(false) is { } stream)
                _tasks.Add(ServeStreamAsync(connection, stream));
        }
        catch (OperationCanceledException)
        {
            // The connection is closing.
        }
    }

    private async Task ServeStreamAsync(PeerConnection connection, YamuxStream stream)
    {
        ProtocolStream? accepted = null;
        try
        {
            var protocol = await MultistreamSelect.ListenAsync(stream, _protocols.Ids, _streamNegotiation, connection.Closing).ConfigureAwait(false);
            if (!_protocols.TryGet(protocol, out var handler))
            {
                // Unregistered between the negotiation and now.
                stream.Reset();
                return;
            }
            accepted = new ProtocolStream(stream, protocol, connection);
            await handler!(accepted, connection.Closing).ConfigureAwait(false);
            await accepted.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failed negotiation or handler ends this stream only.
            stream.Reset();
        }
    }

    private void OnIdentified(PeerConnection connection, IdentifyMessage message)
    {
        _pubsub?.OnIdentified(connection, message.Protocols);
        var handlers = PeerIdentified;
        if (handlers is null)
            return;
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<PeerConnection, IdentifyMessage>)handler)(connection, message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // As for the connection events: an observer cannot break the host.
            }
        }
    }

    // ---- helpers ----

    private static void Raise(Action<PeerConnection>? handlers, PeerConnection connection)
    {
        if (handlers is null)
            return;
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<PeerConnection>)handler)(connection);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An observer's failure must not break the connection bookkeeping that raised the event.
            }
        }
    }

    private static void ValidateProtocolId(string protocol)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        if (protocol.Contains('\n') || protocol.Length > 1000)
            throw new ArgumentException($"'{protocol}' cannot be a protocol id: it contains a newline or is too long", nameof(protocol));
    }
}
