using Sequencer.Core.Identity;
using Sequencer.Net.Host;

namespace Sequencer.Net.Consensus;

/// <summary>
/// Keeps this node connected to the validators of the directory: one small async loop per validator dials it (at most
/// <see cref="ConsensusNetworkOptions.MaxParallelDials"/> dials at once), waits while the connection lives, and redials
/// when it closes, backing off exponentially (with jitter) while the validator stays unreachable. Connections the
/// other side opened count the same: the host keeps one connection per peer whoever dialled it.
/// <para>It also counts the validators connected right now (from the host's per-peer events, both directions) and
/// says when that number changes.</para>
/// </summary>
internal sealed class ValidatorConnections : IAsyncDisposable
{
    private readonly Libp2pHost _host;
    private readonly Func<ValidatorPeerMap> _map;
    private readonly ConsensusNetworkOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _dialSlots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<int> _connected = [];
    private readonly List<Task> _keepers = [];
    private readonly Random _jitter = new();
    private bool _started;

    public ValidatorConnections(Libp2pHost host, Func<ValidatorPeerMap> map, ConsensusNetworkOptions options, TimeProvider time)
    {
        _host = host;
        _map = map;
        _options = options;
        _time = time;
        _dialSlots = new SemaphoreSlim(options.MaxParallelDials, options.MaxParallelDials);
    }

    /// <summary>Raised (on a network thread) after the number of connected validators changed; read <see cref="Count"/>.</summary>
    public event Action? Changed;

    /// <summary>Validators other than this node with an open connection now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _connected.Count;
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_started)
                return;
            _started = true;
        }
        _host.PeerConnected += OnConnected;
        _host.PeerDisconnected += OnDisconnected;
        foreach (var connection in _host.GetConnections())
            OnConnected(connection);
        var map = _map();
        for (var index = 0; index < map.Count; index++)
        {
            if (map.TryGetPeer(index, out var peer) && peer != _host.PeerId && (_options.KeepConnectedTo?.Invoke(index) ?? true))
            {
                lock (_gate)
                    _keepers.Add(KeepAsync(index, peer));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _host.PeerConnected -= OnConnected;
        _host.PeerDisconnected -= OnDisconnected;
        if (!_stopping.IsCancellationRequested)
            await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] keepers;
        lock (_gate)
            keepers = [.. _keepers];
        // Each keeper ends at its next await once stopping is cancelled; a dial in flight ends with the host.
        await Task.WhenAll(keepers).ConfigureAwait(false);
    }

    private async Task KeepAsync(int index, PeerId peer)
    {
        var token = _stopping.Token;
        var delay = _options.MinRedialDelay;
        try
        {
            await Task.Yield();
            while (!token.IsCancellationRequested)
            {
                if (!_host.TryGetConnection(peer, out var connection))
                {
                    connection = await DialAsync(index, token).ConfigureAwait(false);
                    if (connection is null)
                    {
                        await Task.Delay(Jittered(delay), _time, token).ConfigureAwait(false);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRedialDelay.Ticks));
                        continue;
                    }
                }
                delay = _options.MinRedialDelay;
                await connection!.Closed.WaitAsync(token).ConfigureAwait(false);
                // A connection that closes is often replaced at once (the peer restarted and dialled us): look again
                // after a short pause rather than racing its dial with ours.
                await Task.Delay(Jittered(_options.MinRedialDelay), _time, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task<PeerConnection?> DialAsync(int index, CancellationToken token)
    {
        await _dialSlots.WaitAsync(token).ConfigureAwait(false);
        try
        {
            foreach (var address in _map().AddressesOf(index))
            {
                try
                {
                    return await _host.DialAsync(address, token).ConfigureAwait(false);
                }
                catch (HostException)
                {
                    // Unreachable at this address (not started yet, restarting, gone): the next address, or later.
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
            }
            return null;
        }
        finally
        {
            _dialSlots.Release();
        }
    }

    private TimeSpan Jittered(TimeSpan delay)
    {
        double factor;
        lock (_jitter)
            factor = 0.5 + _jitter.NextDouble();
        return TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }

    private void OnConnected(PeerConnection connection)
    {
        var index = _map().IndexOf(connection.RemotePeer);
        if (index < 0 || connection.RemotePeer == _host.PeerId)
            return;
        bool added;
        lock (_gate)
            added = _connected.Add(index);
        if (added)
            Changed?.Invoke();
    }

    private void OnDisconnected(PeerConnection connection)
    {
        var index = _map().IndexOf(connection.RemotePeer);
        if (index < 0)
            return;
        bool removed;
        lock (_gate)
            removed = _connected.Remove(index);
        if (removed)
            Changed?.Invoke();
    }
}
