using System.Net;
using System.Net.Sockets;
using Sequencer.Net.Addressing;

namespace Sequencer.Net.Transport;

/// <summary>
/// A bound, listening TCP socket. <see cref="AcceptAsync"/> hands out connections while fewer than
/// <see cref="TcpTransportOptions.MaxInboundConnections"/> of them are open; one accepted beyond that is reset at once
/// (counted in <see cref="RejectedConnections"/>) and accepting goes on, so a flood cannot exhaust the node.
/// </summary>
public sealed class TcpConnectionListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TcpTransportOptions _options;
    private readonly Action _releaseSlot;
    private int _openConnections;
    private long _rejectedConnections;

    internal TcpConnectionListener(Socket socket, TcpTransportOptions options)
    {
        _socket = socket;
        _options = options;
        _releaseSlot = () => Interlocked.Decrement(ref _openConnections);
        LocalAddress = Multiaddr.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);
    }

    /// <summary>The bound address, with the actual port when the requested one was 0.</summary>
    public Multiaddr LocalAddress { get; }

    /// <summary>Inbound connections currently open (accepted and not yet released).</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    /// <summary>The next inbound connection, or null once the listener is disposed.</summary>
    public async ValueTask<TcpConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The client gave up before we accepted it; not the listener's failure.
                continue;
            }

            if (Interlocked.Increment(ref _openConnections) > _options.MaxInboundConnections)
            {
                Interlocked.Decrement(ref _openConnections);
                Interlocked.Increment(ref _rejectedConnections);
                Reject(socket);
                continue;
            }

            TcpConnection connection;
            try
            {
                connection = new TcpConnection(socket, isInbound: true, _options, _releaseSlot);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Reset between accept and setup (no endpoints to read any more).
                _releaseSlot();
                socket.Dispose();
                continue;
            }
            connection.Start();
            return connection;
        }
    }

    /// <summary>Stops listening; connections already accepted are not affected.</summary>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void Reject(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset by the client.
        }
        socket.Dispose();
    }
}
