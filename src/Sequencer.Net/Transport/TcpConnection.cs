using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Sequencer.Net.Addressing;

namespace Sequencer.Net.Transport;

/// <summary>
/// An established TCP connection as a duplex pipe. Two loops move bytes: one receives from the socket into
/// <see cref="Input"/> and stops receiving while the reader is behind by more than the input pause threshold (so the
/// kernel's receive window closes and the remote slows down); the other sends what the application flushed into
/// <see cref="Output"/>, whose flush waits while more than the output pause threshold is unsent.
/// <para>
/// Closing: completing <see cref="Output"/> sends what is buffered and then a TCP FIN (a half-close; reading goes on
/// until the remote closes its side). <see cref="DisposeAsync"/> closes gracefully (bounded by the close timeout, then
/// aborts); <see cref="Abort"/> resets the connection at once. A reset or abort surfaces on the pipes as a
/// <see cref="TransportException"/>. <see cref="Closed"/> completes when the socket is released.
/// </para>
/// </summary>
public sealed class TcpConnection : IDuplexPipe, IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly TcpTransportOptions _options;
    private readonly Action? _onReleased;
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private Task _closed = Task.CompletedTask;
    private int _aborted;
    private int _disposed;

    internal TcpConnection(Socket socket, bool isInbound, TcpTransportOptions options, Action? onReleased)
    {
        _socket = socket;
        _options = options;
        _onReleased = onReleased;
        IsInbound = isInbound;
        socket.NoDelay = true;
        LocalAddress = Multiaddr.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);
        RemoteAddress = Multiaddr.FromIPEndPoint((IPEndPoint)socket.RemoteEndPoint!);
        _input = PipeFactory.Create(options.InputPauseThreshold, options.InputResumeThreshold);
        _output = PipeFactory.Create(options.OutputPauseThreshold, options.OutputResumeThreshold);
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _output.Writer;

    public Multiaddr LocalAddress { get; }

    public Multiaddr RemoteAddress { get; }

    /// <summary>True for a connection accepted by a listener, false for one this node dialled.</summary>
    public bool IsInbound { get; }

    /// <summary>Completes once both directions have ended and the socket is closed.</summary>
    public Task Closed => _closed;

    internal void Start()
    {
        _receiving = ReceiveLoopAsync();
        _sending = SendLoopAsync();
        _closed = ReleaseWhenDoneAsync();
    }

    /// <summary>Resets the connection (TCP RST): unsent data is dropped and both pipes fail with ConnectionAborted.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
            return;
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: there is nothing left to reset.
        }
        _socket.Dispose();
        _output.Reader.CancelPendingRead();
    }

    /// <summary>
    /// Closes gracefully: ends the application's use of both pipes, lets unsent data drain (at most the close
    /// timeout, then aborts), sends FIN and releases the socket.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _output.Writer.CompleteAsync().ConfigureAwait(false);
            await _input.Reader.CompleteAsync().ConfigureAwait(false);
            try
            {
                await _sending.WaitAsync(_options.CloseTimeout, _options.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Abort();
            }
            // The receive loop may be parked in a receive the remote never answers: closing the socket ends it.
            _socket.Dispose();
        }
        await _closed.ConfigureAwait(false);
    }

    public override string ToString() => $"{(IsInbound ? "inbound" : "outbound")} {LocalAddress} <-> {RemoteAddress}";

    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                // The pool may hand back a larger block; receiving at most ReceiveBufferSize at a time keeps what a
                // paused connection holds within InputPauseThreshold + ReceiveBufferSize. The rest of the block is not
                // wasted: the next GetMemory continues in it.
                var memory = writer.GetMemory(_options.ReceiveBufferSize)[.._options.ReceiveBufferSize];
                var received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                    break;
                writer.Advance(received);
                if (!await TryFlushAsync(writer).ConfigureAwait(false))
                    break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = Translate(e, "receive");
        }
        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    /// <summary>
    /// Hands received bytes to the application; false once it has stopped reading. An application that completes
    /// <see cref="Input"/> with an error makes the flush rethrow that error: it is the application's own verdict, not a
    /// fault of this connection, so receiving simply stops (the connection is released when both loops end).
    /// </summary>
    private static async ValueTask<bool> TryFlushAsync(PipeWriter writer)
    {
        try
        {
            var flush = await writer.FlushAsync().ConfigureAwait(false);
            return !flush.IsCompleted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    error = new TransportException(TransportError.ConnectionAborted, "the connection was aborted");
                    break;
                }
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    var remaining = segment;
                    while (!remaining.IsEmpty)
                    {
                        var sent = await _socket.SendAsync(remaining, SocketFlags.None).ConfigureAwait(false);
                        remaining = remaining[sent..];
                    }
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    _socket.Shutdown(SocketShutdown.Send);
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = Translate(e, "send");
        }
        catch (Exception e)
        {
            // The application completed Output with an error: the stream is not cleanly finished, so reset it.
            error = e;
            Abort();
        }
        await reader.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task ReleaseWhenDoneAsync()
    {
        // Release in every case: a loop that faulted must never leak the socket or the listener's connection slot.
        try
        {
            await Task.WhenAll(_receiving, _sending).ConfigureAwait(false);
        }
        finally
        {
            _socket.Dispose();
            _onReleased?.Invoke();
        }
    }

    private TransportException Translate(Exception exception, string operation)
    {
        if (Volatile.Read(ref _aborted) != 0 || exception is ObjectDisposedException)
            return new TransportException(TransportError.ConnectionAborted, $"the connection was closed locally during {operation}", exception);
        var socketError = ((SocketException)exception).SocketErrorCode;
        return socketError switch
        {
            SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
                => new TransportException(TransportError.ConnectionReset, $"{RemoteAddress} reset the connection during {operation}", exception),
            SocketError.OperationAborted or SocketError.Interrupted
                => new TransportException(TransportError.ConnectionAborted, $"the connection was closed locally during {operation}", exception),
            _ => new TransportException(TransportError.SocketError, $"{operation} on {this} failed: {socketError}", exception),
        };
    }
}
