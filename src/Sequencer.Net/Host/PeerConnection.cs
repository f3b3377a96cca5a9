using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;
using Sequencer.Net.Multistream;
using Sequencer.Net.Noise;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Host;

/// <summary>
/// An upgraded connection to an authenticated peer: TCP, secured by Noise, multiplexed by yamux. Streams are opened
/// with <see cref="OpenStreamAsync"/>; the host accepts the peer's streams and hands them to its protocol handlers.
/// <para>
/// The layers are owned here and closed together: <see cref="CloseAsync"/> sends yamux GoAway, flushes, ends the
/// Noise channel and closes the socket with FIN, all within the host's close timeout, after which the socket is reset.
/// The connection also closes itself when its yamux session ends for any reason (the peer closed, a protocol
/// violation, a keep-alive timeout, a transport error); <see cref="CloseReason"/> then says why.
/// </para>
/// </summary>
public sealed class PeerConnection : IAsyncDisposable
{
    private readonly TcpConnection _transport;
    private readonly NoiseSecureChannel _channel;
    private readonly YamuxSession _session;
    private readonly MultistreamOptions _negotiation;
    private readonly TimeSpan _closeTimeout;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _closeReason;
    private int _closeStarted;

    /// <summary>GossipSub's state on this connection (owned by <see cref="GossipSubService"/>).</summary>
    internal GossipSubBinding? GossipSub;

    /// <summary>When the host registered the connection (a <see cref="TimeProvider"/> timestamp).</summary>
    internal long RegisteredAt;

    /// <summary>
    /// Completes once the host has forgotten the closed connection. <see cref="Closed"/> runs its continuations
    /// asynchronously, so the host's bookkeeping can lag the close; disposing the host waits for this instead.
    /// </summary>
    internal Task Forgotten = Task.CompletedTask;

    internal PeerConnection(TcpConnection transport, NoiseSecureChannel channel, YamuxSession session, bool muxerInNoise,
        MultistreamOptions negotiation, TimeSpan closeTimeout, TimeProvider time)
    {
        _transport = transport;
        _channel = channel;
        _session = session;
        _negotiation = negotiation;
        _closeTimeout = closeTimeout;
        _time = time;
        MuxerInNoise = muxerInNoise;
        Direction = transport.IsInbound ? ConnectionDirection.Inbound : ConnectionDirection.Outbound;
        _session.Completion.ContinueWith(static (ended, state) => ((PeerConnection)state!).OnSessionEnded(ended), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The identity the peer proved in the Noise handshake.</summary>
    public PeerId RemotePeer => _channel.RemotePeerId;

    public PeerPublicKey RemotePublicKey => _channel.RemotePublicKey;

    public Multiaddr LocalAddress => _transport.LocalAddress;

    /// <summary>The peer's TCP endpoint (for an inbound connection, an ephemeral port rather than its listen address).</summary>
    public Multiaddr RemoteAddress => _transport.RemoteAddress;

    public ConnectionDirection Direction { get; }

    /// <summary>The security protocol (always <c>/noise</c>).</summary>
    public string Security => NoiseSecurity.ProtocolId;

    /// <summary>The stream muxer (always <c>/yamux/1.0.0</c>).</summary>
    public string Muxer => NoiseOptions.YamuxProtocolId;

    /// <summary>True when both Noise payloads listed yamux and it started without multistream-select.</summary>
    public bool MuxerInNoise { get; }

    /// <summary>Completes once the connection is closed and its socket released.</summary>
    public Task Closed => _closed.Task;

    public bool IsClosed => Volatile.Read(ref _closeStarted) != 0;

    /// <summary>Why the connection ended: null while open or after a plain local close; else the failure or the peer's close.</summary>
    public Exception? CloseReason => Volatile.Read(ref _closeReason);

    internal YamuxSession Session => _session;

    /// <summary>Cancelled when the connection starts closing: every task serving it stops.</summary>
    internal CancellationToken Closing => _closing.Token;

    /// <summary>Equal on both ends of this connection and unique to it: breaks ties between duplicate connections.</summary>
    internal ReadOnlySpan<byte> HandshakeHash => _channel.HandshakeHash;

    /// <summary>
    /// Opens a stream and negotiates the first of <paramref name="protocols"/> the peer supports (proposed in order).
    /// </summary>
    /// <exception cref="HostException">
    /// <see cref="HostError.ProtocolNotSupported"/> when the peer refuses every one; <see cref="HostError.ConnectionClosed"/>
    /// when the connection is closed or closes; <see cref="HostError.StreamNegotiationFailed"/> otherwise.
    /// </exception>
    public async Task<ProtocolStream> OpenStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        if (IsClosed)
            throw ClosedError();
        YamuxStream stream;
        try
        {
            stream = await _session.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (YamuxException e)
        {
            throw e.Error is YamuxError.StreamLimitReached or YamuxError.StreamIdsExhausted
                ? new HostException(HostError.StreamNegotiationFailed, $"cannot open a stream to {RemotePeer}: {e.Message}", e)
                : new HostException(HostError.ConnectionClosed, $"cannot open a stream to {RemotePeer}: {e.Message}", e);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            var protocol = await MultistreamSelect.SelectAsync(stream, protocols, _negotiation, linked.Token).ConfigureAwait(false);
            return new ProtocolStream(stream, protocol, this);
        }
        catch (Exception e)
        {
            stream.Reset();
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            if (e is MultistreamException { Error: MultistreamError.NoProtocolAgreed })
                throw new HostException(HostError.ProtocolNotSupported, $"{RemotePeer} supports none of {string.Join(", ", protocols)}", e);
            if (IsClosed)
                throw ClosedError(e);
            throw new HostException(HostError.StreamNegotiationFailed, $"negotiating {string.Join(", ", protocols)} with {RemotePeer} failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Closes the connection (once; later calls wait for the first): GoAway, flush, FIN, bounded by the host's close
    /// timeout, then a reset. <paramref name="reason"/> becomes <see cref="CloseReason"/>.
    /// </summary>
    public async Task CloseAsync(Exception? reason = null)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            await _closed.Task.ConfigureAwait(false);
            return;
        }
        Volatile.Write(ref _closeReason, reason);
        _closing.Cancel();
        try
        {
            await CloseLayersAsync().WaitAsync(_closeTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A peer that stopped reading (timeout) or a connection that already failed: reset instead.
            _transport.Abort();
        }
        _closed.TrySetResult();
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    public override string ToString() => $"{Direction.ToString().ToLowerInvariant()} connection with {RemotePeer} ({RemoteAddress})";

    private async Task CloseLayersAsync()
    {
        await _session.DisposeAsync().ConfigureAwait(false);
        await _channel.DisposeAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    private void OnSessionEnded(Task ended)
    {
        if (IsClosed)
            return;
        var error = ended.Exception?.InnerException;
        _ = CloseAsync(error is null
            ? new HostException(HostError.ConnectionClosed, $"{RemotePeer} closed the connection")
            : new HostException(HostError.ConnectionClosed, $"the connection with {RemotePeer} failed: {error.Message}", error));
    }

    private HostException ClosedError(Exception? inner = null) =>
        new(HostError.ConnectionClosed, $"the connection with {RemotePeer} is closed", inner ?? CloseReason);
}
