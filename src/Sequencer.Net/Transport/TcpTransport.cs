using System.Net;
using System.Net.Sockets;
using Sequencer.Net.Addressing;

namespace Sequencer.Net.Transport;

/// <summary>
/// Dials and listens on TCP by multiaddr: <c>/ip4/…/tcp/…</c>, <c>/ip6/…/tcp/…</c>, and for dialling also
/// <c>/dns|dns4|dns6/…/tcp/…</c>. A trailing <c>/p2p/…</c> is ignored here: checking the remote's identity is the
/// security layer's job.
/// </summary>
public sealed class TcpTransport
{
    private readonly TcpTransportOptions _options;

    public TcpTransport(TcpTransportOptions? options = null)
    {
        _options = options ?? new TcpTransportOptions();
        _options.Validate();
    }

    public async ValueTask<TcpConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var timeout = _options.ConnectTimeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(_options.ConnectTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        Socket? socket = null;
        try
        {
            var endPoint = await ResolveAsync(address, linked.Token).ConfigureAwait(false);
            socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endPoint, linked.Token).ConfigureAwait(false);
            var connection = new TcpConnection(socket, isInbound: false, _options, onReleased: null);
            connection.Start();
            return connection;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new TransportException(TransportError.ConnectTimeout, $"connecting to {address} timed out after {_options.ConnectTimeout}");
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            throw e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new TransportException(TransportError.ConnectionRefused, $"{address} refused the connection", e),
                // The listener accepted and reset at once (e.g. its inbound limit), before the connect was reported.
                SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.NotConnected
                    => new TransportException(TransportError.ConnectionReset, $"{address} reset the connection", e),
                _ => new TransportException(TransportError.SocketError, $"connecting to {address} failed: {e.SocketErrorCode}", e),
            };
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>Binds and listens on <c>/ip4|ip6/…/tcp/port</c> (port 0 picks a free one; see <see cref="TcpConnectionListener.LocalAddress"/>).</summary>
    public TcpConnectionListener Listen(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.TryGetIPEndPoint(out var endPoint))
            throw new TransportException(TransportError.UnsupportedAddress, $"cannot listen on {address}: it is not /ip4|ip6/…/tcp/…");
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(_options.ListenBacklog);
            return new TcpConnectionListener(socket, _options);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TransportException(TransportError.BindFailed, $"cannot listen on {address}: {e.SocketErrorCode}", e);
        }
    }

    private static async ValueTask<IPEndPoint> ResolveAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        if (address.TryGetIPEndPoint(out var endPoint))
            return endPoint;
        var components = address.Components;
        if (components.Count < 2 || components[1].Protocol != MultiaddrProtocol.Tcp)
            throw new TransportException(TransportError.UnsupportedAddress, $"cannot dial {address}: it has no /tcp after its host");
        var family = components[0].Protocol switch
        {
            MultiaddrProtocol.Dns4 => AddressFamily.InterNetwork,
            MultiaddrProtocol.Dns6 => AddressFamily.InterNetworkV6,
            MultiaddrProtocol.Dns => AddressFamily.Unspecified,
            _ => throw new TransportException(TransportError.UnsupportedAddress, $"cannot dial {address}: /{components[0].Protocol} is not a host"),
        };
        var host = components[0].ValueToString();
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, family, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new TransportException(TransportError.UnsupportedAddress, $"cannot resolve {host}: {e.SocketErrorCode}", e);
        }
        if (addresses.Length == 0)
            throw new TransportException(TransportError.UnsupportedAddress, $"{host} resolves to no {family} address");
        return new IPEndPoint(addresses[0], components[1].ToPort());
    }
}
