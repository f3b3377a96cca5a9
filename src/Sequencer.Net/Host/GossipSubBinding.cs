using Sequencer.Net.PubSub;

namespace Sequencer.Net.Host;

/// <summary>
/// GossipSub on one connection: the peer's inbound meshsub stream (read by the router) and ours (fed by the router
/// through a <see cref="GossipSubLink"/>), one long-lived stream each way as libp2p pubsub expects. Ours is opened
/// once the peer's identify lists a meshsub protocol or the peer opened its own stream to us (js-libp2p waits for
/// one of the two before opening its stream). The peer joins the router as soon as either stream is up.
/// <para>
/// The binding ends — the peer leaves the router, our stream is half-closed — when the peer's stream ends, our
/// stream fails, or the connection closes. A new inbound stream after that starts a new binding. A second inbound
/// stream while one is open replaces it (the older is reset), as go- and js-libp2p do.
/// </para>
/// </summary>
internal sealed class GossipSubBinding
{
    private readonly PeerConnection _connection;
    private readonly GossipSubRouter _router;
    private readonly GossipSubLink _link;
    private readonly BackgroundTasks _tasks;
    private readonly Lock _gate = new();
    private PubSubPeer? _peer;
    private bool _outboundStarted;
    private bool _outboundAttached;
    private ProtocolStream? _inbound;
    private Task _inboundDone = Task.CompletedTask;
    private bool _closed;

    public GossipSubBinding(PeerConnection connection, GossipSubRouter router, long queueLimit, BackgroundTasks tasks,
        Action<PeerConnection, Exception> onProtocolViolation, Action<int> onCongestionChanged)
    {
        _connection = connection;
        _router = router;
        _tasks = tasks;
        _link = new GossipSubLink(queueLimit, reason => onProtocolViolation(connection, reason), onCongestionChanged);
    }

    public GossipSubLink Link => _link;

    public bool IsClosed
    {
        get
        {
            lock (_gate)
                return _closed;
        }
    }

    /// <summary>Opens our meshsub stream unless it is open or opening.</summary>
    public void EnsureOutbound()
    {
        lock (_gate)
        {
            if (_closed || _outboundStarted)
                return;
            _outboundStarted = true;
        }
        _tasks.Add(RunOutboundAsync());
    }

    /// <summary>Reads the peer's meshsub stream into the router until it ends (the stream handler's whole life).</summary>
    public async Task ServeInboundAsync(ProtocolStream stream, CancellationToken cancellationToken)
    {
        ProtocolStream? previous;
        Task previousDone;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_closed)
                return;
            previous = _inbound;
            previousDone = _inboundDone;
            _inbound = stream;
            _inboundDone = done.Task;
        }
        try
        {
            if (previous is not null)
            {
                previous.Reset();
                await previousDone.ConfigureAwait(false);
            }
            PubSubPeer peer;
            lock (_gate)
            {
                if (_closed || _inbound != stream)
                    return;
                peer = JoinLocked(stream.Protocol);
            }
            EnsureOutbound();
            await _router.ReadFromAsync(peer, stream.Input, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The stream was reset or the connection failed: either way this stream is over.
        }
        finally
        {
            done.TrySetResult();
        }
        bool replaced;
        lock (_gate)
            replaced = _inbound != stream;
        if (!replaced)
            Close();
    }

    /// <summary>Ends the binding: the peer leaves the router and our stream is half-closed after what is queued.</summary>
    public void Close()
    {
        PubSubPeer? peer;
        bool attached;
        lock (_gate)
        {
            if (_closed)
                return;
            _closed = true;
            peer = _peer;
            attached = _outboundAttached;
        }
        if (peer is not null)
            _router.RemovePeer(peer);
        if (attached)
            _link.Complete();
        else
            _link.Abandon();
    }

    private async Task RunOutboundAsync()
    {
        ProtocolStream stream;
        try
        {
            stream = await _connection.OpenStreamAsync(PubSubProtocols.All, _connection.Closing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HostException or OperationCanceledException)
        {
            // Without our stream the router cannot reach the peer: give the binding up.
            Close();
            return;
        }
        lock (_gate)
        {
            if (_closed)
            {
                stream.Reset();
                return;
            }
            JoinLocked(stream.Protocol);
            _outboundAttached = true;
        }
        await _link.RunAsync(stream).ConfigureAwait(false);
        Close();
    }

    /// <summary>Adds the peer to the router unless it is in it (the router then sends it our subscriptions).</summary>
    private PubSubPeer JoinLocked(string protocolId)
    {
        if (_peer is { IsConnected: true } current)
            return current;
        if (!PubSubProtocols.TryParse(protocolId, out var protocol))
            protocol = PubSubProtocol.MeshSub11;
        var address = _connection.RemoteAddress.TryGetIPEndPoint(out var endPoint) ? endPoint.Address.ToString() : null;
        _peer = _router.AddPeer(_connection.RemotePeer.Bytes, protocol, _connection.Direction == ConnectionDirection.Outbound, _link, address);
        return _peer;
    }
}
