using System.Buffers;
using System.Collections.Concurrent;
using Sequencer.Core.Ports;
using Sequencer.Net.Host;
using Sequencer.Net.PubSub;
using Sequencer.Net.Streams;

namespace Sequencer.Net.Consensus;

/// <summary>
/// The engine's network port over a <see cref="Libp2pHost"/> (NODE §1): direct requests on the three
/// <see cref="SequencerProtocols"/> streams, round topics on GossipSub, and the connections to the directory's
/// validators. Every call returns at once; every result reaches the engine as an <see cref="INetworkEvents"/> call
/// posted to the node's loop.
/// </summary>
/// <remarks>
/// <para><b>Senders.</b> A request's sender is the peer its connection's Noise handshake proved; a topic message's is
/// its signer under StrictSign (<see cref="PubSubAuthor"/>), not the peer that forwarded it. Both become directory
/// indices through <see cref="ValidatorPeerMap"/> (-1: not a validator of the current epoch).</para>
/// <para><b>Exactly one result per outbound request.</b> Each <see cref="SendRequest"/> runs one task whose every exit
/// — a response, a typed request failure, the host stopping, anything unexpected — posts exactly one
/// <see cref="INetworkEvents.OnResponse"/> or <see cref="INetworkEvents.OnRequestFailed"/>.</para>
/// <para><b>At most one answer per inbound request.</b> An inbound request waits in <see cref="InboundRequestTable{TRequest}"/>;
/// <see cref="SendResponse"/> takes it out before answering, so a second answer finds nothing. One the engine never
/// answers is forgotten after <see cref="ConsensusNetworkOptions.InboundRequestLifetime"/> (the stream layer resets it).</para>
/// <para><b>One retry.</b> A request whose connection closed under it (<see cref="RequestError.Unreachable"/>) in the
/// first half of its timeout is sent once more: when two validators dial each other at once both ends keep one of the
/// two connections and close the other, and a request that went out on the closed one would otherwise fail for
/// nothing. The engine's requests are safe to repeat (a vote, an invitation or a fetch answered twice is a duplicate).</para>
/// <para><b>Buffers.</b> Payloads the engine hands in are borrowed, so outbound requests are copied into pooled
/// buffers for the send. Inbound request payloads are copied into pooled buffers that return to the pool after the
/// loop call (the stream's own buffer is freed when the answer is sent, possibly during that call); responses stay in
/// the stream layer's pooled buffer until the loop call returns. A topic message already owns its bytes (GossipSub
/// copies each message once, when first seen), so it crosses to the loop as is.</para>
/// </remarks>
public sealed class Libp2pConsensusNetwork : IConsensusNetwork, IAsyncDisposable
{
    private readonly Libp2pHost _host;
    private readonly IValidatorDirectorySource _directory;
    private readonly INodeLoop _loop;
    private readonly TimeProvider _time;
    private readonly InboundRequestTable<InboundRequest> _inbound;
    private readonly ValidatorConnections _connections;
    private readonly CancellationTokenSource _stopping = new();
    private ValidatorPeerMap _map;
    private INetworkEvents? _events;
    private ITimer? _expiry;
    private ITimer? _unkeptSweep;
    /// <summary>When a request last went to each validator outside the kept set (timestamps of <see cref="_time"/>).</summary>
    private readonly ConcurrentDictionary<int, long> _unkeptLastUsed = new();
    private int _state; // 0 new, 1 started, 2 stopped

    public Libp2pConsensusNetwork(
        Libp2pHost host, IValidatorDirectorySource directory, INodeLoop loop, ConsensusNetworkOptions? options = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(loop);
        Options = options ?? ConsensusNetworkOptions.Default;
        Options.Validate();
        _host = host;
        _directory = directory;
        _loop = loop;
        _time = time ?? TimeProvider.System;
        _map = new ValidatorPeerMap(directory.Current);
        _inbound = new InboundRequestTable<InboundRequest>(_time, Options.InboundRequestLifetime, static request => request.Refuse());
        _connections = new ValidatorConnections(host, () => Map, Options, _time);
        _connections.Changed += () => ConnectedValidatorsChanged?.Invoke();
    }

    public ConsensusNetworkOptions Options { get; }

    public Libp2pHost Host => _host;

    /// <summary>The index ↔ peer map of the directory's current epoch (rebuilt when the directory source moves on).</summary>
    public ValidatorPeerMap Map
    {
        get
        {
            var map = Volatile.Read(ref _map);
            var current = _directory.Current;
            if (!ReferenceEquals(map.Directory, current))
            {
                map = new ValidatorPeerMap(current);
                Volatile.Write(ref _map, map);
            }
            return map;
        }
    }

    /// <summary>Validators other than this node connected right now.</summary>
    public int ConnectedValidators => _connections.Count;

    /// <summary>Raised on a network thread after <see cref="ConnectedValidators"/> changed (read it; events from different threads may arrive out of order).</summary>
    public event Action? ConnectedValidatorsChanged;

    /// <summary>Raised when a publication reached nobody or was too large (topic, why); on the caller's thread (the loop).</summary>
    public event Action<string, PublishStatus>? PublishFailed;

    /// <summary>Inbound requests waiting for the engine's answer.</summary>
    public int PendingInboundRequests => _inbound.Count;

    /// <summary>
    /// Binds the node that receives this network's events and starts serving: the three request protocols, the expiry
    /// of unanswered requests, and the connections to every validator. Call once, after the node is built.
    /// </summary>
    public void Start(INetworkEvents events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            throw new InvalidOperationException("the consensus network was started already");
        _events = events;
        var map = Map;
        for (var index = 0; index < map.Count; index++)
        {
            if (map.TryGetPeer(index, out var peer) && peer != _host.PeerId)
                _host.Peers.AddAddresses(peer, map.AddressesOf(index));
        }
        foreach (var protocol in (ReadOnlySpan<SequencerProtocol>)[SequencerProtocol.Invitation, SequencerProtocol.Vote, SequencerProtocol.Sync])
            _host.SetRequestHandler(SequencerProtocols.GetId(protocol), request => OnInbound(request, protocol));
        var period = Options.InboundRequestLifetime / 4;
        _expiry = _time.CreateTimer(static state => ((InboundRequestTable<InboundRequest>)state!).Expire(), _inbound, period, period);
        _connections.Start();
        if (Options.CloseUnkeptAfter is { } closeAfter)
            _unkeptSweep = _time.CreateTimer(static state => ((Libp2pConsensusNetwork)state!).CloseIdleUnkept(), this, closeAfter / 2, closeAfter / 2);
    }

    public void SendRequest(int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id, TimeSpan timeout)
    {
        var events = _events ?? throw new InvalidOperationException("the consensus network is not started");
        if (Volatile.Read(ref _state) != 1 || !Map.TryGetPeer(toValidator, out var peer) || peer == _host.PeerId || timeout <= TimeSpan.Zero)
        {
            _loop.Post(() => events.OnRequestFailed(id, toValidator, RequestFailure.Unreachable));
            return;
        }
        if (Options.CloseUnkeptAfter is not null && !(Options.KeepConnectedTo?.Invoke(toValidator) ?? true))
            _unkeptLastUsed[toValidator] = _time.GetTimestamp();
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.Span.CopyTo(copy);
        _ = SendAsync(events, toValidator, peer, SequencerProtocols.GetId(protocol), copy, payload.Length, id, timeout);
    }

    public void SendResponse(InboundRequestId request, ReadOnlyMemory<byte> payload)
    {
        if (!_inbound.TryTake(request, out var inbound))
            return;
        try
        {
            if (!inbound.TryRespond(payload.Span))
                inbound.Refuse();
        }
        catch (ArgumentOutOfRangeException)
        {
            // Larger than a response may be: the requester sees a refusal and fails over.
            inbound.Refuse();
        }
    }

    public void Subscribe(string topic, ITopicValidator validator)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(validator);
        var events = _events ?? throw new InvalidOperationException("the consensus network is not started");
        _host.SetTopicValidator(topic, message => new ValueTask<ValidationResult>(
            validator.Validate(AuthorOf(message), message.Data.Span) switch
            {
                TopicVerdict.Accept => ValidationResult.Accept,
                TopicVerdict.Reject => ValidationResult.Reject,
                _ => ValidationResult.Ignore,
            }));
        _host.Subscribe(topic, message =>
        {
            var from = AuthorOf(message);
            _loop.Post(() => events.OnTopicMessage(message.Topic, from, message.Data.Span));
        });
    }

    public void Unsubscribe(string topic)
    {
        _host.Unsubscribe(topic);
        _host.SetTopicValidator(topic, null);
    }

    public void Publish(string topic, ReadOnlyMemory<byte> payload)
    {
        PublishResult result;
        try
        {
            result = _host.Publish(topic, payload.Span);
        }
        catch (ObjectDisposedException)
        {
            // The host is closing under a stopping node: nothing to publish to.
            return;
        }
        if (result.Status != PublishStatus.Published)
            PublishFailed?.Invoke(topic, result.Status);
    }

    /// <summary>
    /// Stops serving: the request protocols are unregistered, waiting inbound requests refused, outbound ones failed,
    /// the connection keepers stopped. The host itself is the caller's to close.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
            return;
        foreach (var protocol in (ReadOnlySpan<string>)[SequencerProtocols.Invitation, SequencerProtocols.Vote, SequencerProtocols.Sync])
            _host.RemoveStreamHandler(protocol);
        if (_expiry is not null)
            await _expiry.DisposeAsync().ConfigureAwait(false);
        if (_unkeptSweep is not null)
            await _unkeptSweep.DisposeAsync().ConfigureAwait(false);
        _inbound.RefuseAll();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _connections.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the connections to validators outside the kept set that no request used for
    /// <see cref="ConsensusNetworkOptions.CloseUnkeptAfter"/>. A request racing the close fails as unreachable and is
    /// retried once on a new connection (see the class remarks), so closing early costs a dial, never a request.
    /// </summary>
    private void CloseIdleUnkept()
    {
        if (Volatile.Read(ref _state) != 1 || Options.CloseUnkeptAfter is not { } closeAfter)
            return;
        var map = Map;
        foreach (var (index, lastUsed) in _unkeptLastUsed)
        {
            // A request sent in between would have moved the timestamp on: only the value read here is removed.
            if (_time.GetElapsedTime(lastUsed) < closeAfter || !_unkeptLastUsed.TryRemove(new KeyValuePair<int, long>(index, lastUsed)))
                continue;
            if (map.TryGetPeer(index, out var peer) && _host.TryGetConnection(peer, out var connection) && connection is not null)
                _ = connection.CloseAsync();
        }
    }

    private int AuthorOf(PubSubMessage message) =>
        PubSubAuthor.TryGet(message, out var author) ? Map.IndexOf(author) : -1;

    private void OnInbound(InboundRequest request, SequencerProtocol protocol)
    {
        var events = _events;
        if (events is null || Volatile.Read(ref _state) != 1)
        {
            request.Refuse();
            return;
        }
        var from = Map.IndexOf(request.RemotePeer);
        var length = request.Payload.Length;
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        request.Payload.Span.CopyTo(copy);
        var id = _inbound.Add(request);
        _loop.Post(() =>
        {
            try
            {
                events.OnRequest(id, from, protocol, copy.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        });
    }

    private async Task SendAsync(
        INetworkEvents events, int toValidator, Core.Identity.PeerId peer, string protocol, byte[] payload, int length, RequestId id,
        TimeSpan timeout)
    {
        RequestResponse? response = null;
        var failure = RequestFailure.Unreachable;
        try
        {
            // Off the loop: connecting and negotiating must not hold up the node's other work.
            await Task.Yield();
            var started = _time.GetTimestamp();
            try
            {
                response = await _host.SendRequestAsync(peer, protocol, payload.AsMemory(0, length), timeout, _stopping.Token).ConfigureAwait(false);
            }
            catch (RequestException error) when (error.Error == RequestError.Unreachable && _time.GetElapsedTime(started) < timeout / 2)
            {
                // The connection closed under the request. Most often that is the race of two peers dialling each
                // other at once, where both ends keep the other connection: one more try, on whatever connection
                // now stands, within the same overall timeout.
                response = await _host.SendRequestAsync(peer, protocol, payload.AsMemory(0, length), timeout - _time.GetElapsedTime(started),
                    _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (RequestException error)
        {
            failure = error.Failure;
        }
        catch (ArgumentOutOfRangeException)
        {
            // Larger than a request may be: no peer would take it.
            failure = RequestFailure.Refused;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The network or the host is stopping (cancelled, disposed), or anything else: the request still gets
            // its one result, so the engine's fail-over never waits for an answer that cannot come.
            failure = RequestFailure.Unreachable;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }

        if (response is null)
        {
            _loop.Post(() => events.OnRequestFailed(id, toValidator, failure));
            return;
        }
        _loop.Post(() =>
        {
            try
            {
                events.OnResponse(id, toValidator, response.Payload.Span);
            }
            finally
            {
                response.Dispose();
            }
        });
    }
}
