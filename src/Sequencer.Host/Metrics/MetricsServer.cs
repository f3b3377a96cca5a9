using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sequencer.Host.Metrics;

/// <summary>
/// The metrics endpoint: a minimal HTTP/1.1 server on a raw socket (no ASP.NET in a Native AOT validator binary).
/// <c>GET /metrics</c> (or <c>HEAD</c>) answers 200 with the registry in the Prometheus text format; any other path is
/// 404, any other method 405, and a request that is not HTTP/1.x, has a head over 8 KiB or does not arrive within
/// <see cref="RequestTimeout"/> gets 400/431 or is closed. One request per connection (<c>Connection: close</c>), at
/// most <see cref="MaxConnections"/> at once (others are closed at once): a scraper needs no more, and a misbehaving
/// client can hold nothing. <see cref="DisposeAsync"/> stops accepting, aborts in-flight requests and returns when
/// every handler has ended.
/// </summary>
internal sealed class MetricsServer : IAsyncDisposable
{
    public const int MaxRequestHeadBytes = 8192;
    public const int MaxConnections = 8;
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly MetricsRegistry _registry;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections, MaxConnections);
    private readonly Task _acceptLoop;
    private int _active;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MetricsServer(MetricsRegistry registry, Socket listener)
    {
        _registry = registry;
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _active = 1; // the accept loop itself; the last one out completes _drained
        _acceptLoop = AcceptAsync();
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> (0: any free port) and starts serving.</summary>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local, …).</exception>
    public static MetricsServer Start(MetricsRegistry registry, IPAddress address, int port)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new MetricsServer(registry, listener);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await _drained.Task.ConfigureAwait(false);
        _stop.Dispose();
        _slots.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket connection;
                try
                {
                    connection = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException)
                {
                    // A connection reset before accept completed, or the listener closing: try again or notice the stop.
                    continue;
                }
                if (!_slots.Wait(0))
                {
                    connection.Dispose();
                    continue;
                }
                Interlocked.Increment(ref _active);
                _ = ServeAsync(connection);
            }
        }
        finally
        {
            Leave();
        }
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _active) == 0)
            _drained.TrySetResult();
    }

    private async Task ServeAsync(Socket connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(RequestTimeout);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxRequestHeadBytes);
        try
        {
            var response = await ReadRequestAsync(connection, buffer, timeout.Token).ConfigureAwait(false);
            if (response is not null)
                await SendAllAsync(connection, response, timeout.Token).ConfigureAwait(false);
            connection.Shutdown(SocketShutdown.Both);
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A slow, vanished or rude client, or the server stopping: the connection just ends.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            connection.Dispose();
            _slots.Release();
            Leave();
        }
    }

    /// <summary>The full response to send, or null to close without one (the client sent nothing usable in time).</summary>
    private async Task<byte[]?> ReadRequestAsync(Socket connection, byte[] buffer, CancellationToken cancellation)
    {
        var length = 0;
        while (true)
        {
            if (length == MaxRequestHeadBytes)
                return Status("431 Request Header Fields Too Large");
            var read = await connection.ReceiveAsync(buffer.AsMemory(length, MaxRequestHeadBytes - length), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (read == 0)
                return null;
            var searchFrom = Math.Max(0, length - 3);
            length += read;
            if (buffer.AsSpan(searchFrom, length - searchFrom).IndexOf("\r\n\r\n"u8) >= 0)
                break;
        }
        var head = buffer.AsSpan(0, length);
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = head[..lineEnd];
        var firstSpace = requestLine.IndexOf((byte)' ');
        var lastSpace = requestLine.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
            return Status("400 Bad Request");
        var method = requestLine[..firstSpace];
        var target = requestLine[(firstSpace + 1)..lastSpace];
        var version = requestLine[(lastSpace + 1)..];
        if (!version.SequenceEqual("HTTP/1.1"u8) && !version.SequenceEqual("HTTP/1.0"u8))
            return Status("400 Bad Request");
        var isHead = method.SequenceEqual("HEAD"u8);
        if (!isHead && !method.SequenceEqual("GET"u8))
            return Status("405 Method Not Allowed", "Allow: GET, HEAD\r\n");
        var query = target.IndexOf((byte)'?');
        var path = query >= 0 ? target[..query] : target;
        if (!path.SequenceEqual("/metrics"u8))
            return Status("404 Not Found");

        var body = new ArrayBufferWriter<byte>(4096);
        _registry.WriteTo(body);
        var header = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: {ExpositionWriter.ContentType}\r\nContent-Length: {body.WrittenCount}\r\nConnection: close\r\n\r\n");
        if (isHead)
            return header;
        var response = new byte[header.Length + body.WrittenCount];
        header.CopyTo(response, 0);
        body.WrittenSpan.CopyTo(response.AsSpan(header.Length));
        return response;
    }

    private static byte[] Status(string status, string extraHeaders = "")
    {
        var body = status + "\n";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\n{extraHeaders}Connection: close\r\n\r\n{body}");
    }

    private static async Task SendAllAsync(Socket connection, byte[] response, CancellationToken cancellation)
    {
        var sent = 0;
        while (sent < response.Length)
            sent += await connection.SendAsync(response.AsMemory(sent), SocketFlags.None, cancellation).ConfigureAwait(false);
    }
}
