using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Sequencer.Net.Yamux;

/// <summary>
/// A yamux session (hashicorp/yamux spec, as libp2p uses it under <c>/yamux/1.0.0</c>) over any duplex pipe — a raw
/// connection or a Noise-secured one. Streams are opened with <see cref="OpenStreamAsync"/> (odd ids on the
/// connection's initiator, even on the responder) and accepted with <see cref="AcceptStreamAsync"/>; each is a duplex
/// pipe with half-close, reset and per-stream flow control (see <see cref="YamuxStream"/>).
/// <para>
/// Two loops own the connection. The read loop parses frames (from any split of the byte stream) and hands data to
/// the streams' receive pipes, which never make it wait: each stream's receive window bounds what it can be handed.
/// The write loop owns the connection's output; everything that wants a frame sent — a stream with data, a window
/// update, an ACK, a ping answer, a GoAway — goes through its queue, so the read loop never blocks on writing and
/// a peer that stops reading cannot deadlock the session. Streams take turns, one data frame at a time.
/// </para>
/// <para>
/// A protocol violation by the peer ends the session with a <see cref="YamuxException"/> (its
/// <see cref="YamuxError"/> says which rule) after sending GoAway(ProtocolError). <see cref="Completion"/> reports the
/// end: success for a normal close by either side, the exception otherwise.
/// </para>
/// </summary>
public sealed class YamuxSession : IAsyncDisposable
{
    // Frames are batched into one flush of the connection until the queue is empty or this much is waiting.
    private const int FlushThreshold = 64 * 1024;

    private readonly IDuplexPipe _connection;
    private readonly YamuxOptions _options;
    private readonly ConcurrentDictionary<uint, YamuxStream> _streams = new();
    private readonly Channel<YamuxOutbound> _sendQueue;
    private readonly Channel<YamuxStream> _acceptQueue;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _openLock = new();
    private readonly Lock _pingLock = new();
    private readonly Dictionary<uint, PendingPing> _pendingPings = [];
    private readonly uint _remoteParity;
    private ITimer? _keepAliveTimer;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;

    private long _nextStreamId;
    private int _inboundStreams;
    private int _outboundStreams;
    private int _pendingPingResponses;
    private uint _lastPingOpaque;
    private uint? _keepAliveOpaque;
    private int _localGoAway;
    private int _remoteGoAway;
    private int _terminated;
    private int _readLoopDone;
    private YamuxException? _error;
    private YamuxException? _streamError;

    // Read loop only: the highest stream id the peer opened, and a data frame whose body is still arriving.
    private uint _highestInboundId;
    private YamuxStream? _bodyStream;
    private long _bodyRemaining;
    private YamuxFlags _bodyFlags;

    // Write loop only: bytes written to the connection since its last flush.
    private int _unflushed;

    private YamuxSession(IDuplexPipe connection, bool isInitiator, YamuxOptions options)
    {
        _connection = connection;
        _options = options;
        IsInitiator = isInitiator;
        _nextStreamId = isInitiator ? 1 : 2;
        _remoteParity = isInitiator ? 0u : 1u;
        _sendQueue = Channel.CreateUnbounded<YamuxOutbound>(new UnboundedChannelOptions { SingleReader = true });
        _acceptQueue = Channel.CreateBounded<YamuxStream>(new BoundedChannelOptions(options.AcceptBacklog) { SingleWriter = true });
    }

    /// <summary>True on the side that initiated the underlying connection (the yamux client: odd stream ids).</summary>
    public bool IsInitiator { get; }

    /// <summary>Completes when the session has ended: successfully for a normal close, faulted with a <see cref="YamuxException"/> otherwise.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Streams currently open (both directions, including ones not yet accepted).</summary>
    public int StreamCount => _streams.Count;

    /// <summary>Starts a session on <paramref name="connection"/>, which it owns from now on (it completes both of its pipes at the end).</summary>
    public static YamuxSession Start(IDuplexPipe connection, bool isInitiator, YamuxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= YamuxOptions.Default;
        options.Validate();
        var session = new YamuxSession(connection, isInitiator, options);
        // The timer exists before the read loop runs: frames already buffered may end the session (and dispose it) at once.
        if (options.KeepAliveInterval != Timeout.InfiniteTimeSpan)
        {
            session._keepAliveTimer = options.TimeProvider.CreateTimer(
                static state => ((YamuxSession)state!).OnKeepAliveTick(), session, options.KeepAliveInterval, options.KeepAliveInterval);
        }
        session._readLoop = session.ReadLoopAsync();
        session._writeLoop = session.WriteLoopAsync();
        _ = session.CompleteWhenDoneAsync();
        return session;
    }

    /// <summary>
    /// Opens a stream. The SYN goes out at once and data may follow it without waiting for the peer's ACK (as the spec
    /// allows and js-libp2p does), so this completes without a round trip.
    /// </summary>
    public ValueTask<YamuxStream> OpenStreamAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfTerminated();
        if (Volatile.Read(ref _remoteGoAway) != 0)
            throw new YamuxException(YamuxError.GoingAway, "the peer sent GoAway: it accepts no new streams");
        if (Volatile.Read(ref _localGoAway) != 0)
            throw new YamuxException(YamuxError.GoingAway, "this session sent GoAway: it opens no new streams");
        if (Interlocked.Increment(ref _outboundStreams) > _options.MaxOutboundStreams)
        {
            Interlocked.Decrement(ref _outboundStreams);
            throw new YamuxException(YamuxError.StreamLimitReached, $"{_options.MaxOutboundStreams} outbound streams are already open");
        }

        YamuxStream stream;
        // Ids are handed out and queued under one lock so that SYNs leave in id order.
        lock (_openLock)
        {
            if (_nextStreamId > uint.MaxValue)
            {
                Interlocked.Decrement(ref _outboundStreams);
                throw new YamuxException(YamuxError.StreamIdsExhausted, "every stream id of this side has been used");
            }
            stream = new YamuxStream(this, (uint)_nextStreamId, isOutbound: true, _options);
            _nextStreamId += 2;
            _streams[stream.Id] = stream;
            Schedule(stream);
        }
        // Terminate aborts the streams it finds in the table: one added while it ran must be caught here.
        if (Volatile.Read(ref _terminated) != 0)
        {
            Remove(stream);
            ThrowIfTerminated();
        }
        return ValueTask.FromResult(stream);
    }

    /// <summary>The next stream the peer opened (this acknowledges it), or null once the session has ended.</summary>
    public async ValueTask<YamuxStream?> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        var queue = _acceptQueue.Reader;
        while (Volatile.Read(ref _terminated) == 0 && await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Volatile.Read(ref _terminated) == 0 && queue.TryRead(out var stream))
            {
                stream.OnAccepted();
                return stream;
            }
        }
        return null;
    }

    /// <summary>Measures the round trip with a session ping (PING SYN, answered by PING ACK with the same opaque value).</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        uint opaque;
        lock (_pingLock)
        {
            ThrowIfTerminated();
            opaque = NextPingOpaque();
            _pendingPings[opaque] = new PendingPing(waiter, _options.TimeProvider.GetTimestamp());
        }
        Enqueue(YamuxOutboundKind.PingRequest, opaque);
        using var registration = cancellationToken.Register(() =>
        {
            lock (_pingLock)
                _pendingPings.Remove(opaque);
            waiter.TrySetCanceled(cancellationToken);
        });
        return await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Tells the peer this side accepts no new streams (GoAway, normal); open streams carry on. A SYN arriving after it
    /// is answered with RST.
    /// </summary>
    public void GoAway()
    {
        if (Volatile.Read(ref _terminated) == 0 && Interlocked.Exchange(ref _localGoAway, 1) == 0)
            Enqueue(YamuxOutboundKind.GoAway, (uint)YamuxGoAwayCode.Normal);
    }

    /// <summary>
    /// Ends the session now: sends GoAway (normal) unless one went out already, fails every open stream with
    /// <see cref="YamuxError.SessionClosed"/>, flushes (waiting at most the close timeout) and completes the connection.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Terminate(null, YamuxGoAwayCode.Normal);
        try
        {
            await _writeLoop.WaitAsync(_options.CloseTimeout, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer stopped reading: give up on the GoAway rather than hang.
            _connection.Output.CancelPendingFlush();
        }
        await _writeLoop.ConfigureAwait(false);
        await _readLoop.ConfigureAwait(false);
    }

    public override string ToString() => $"yamux session ({(IsInitiator ? "initiator" : "responder")}, {StreamCount} streams)";

    // ---- called by streams ----

    /// <summary>Puts <paramref name="stream"/> on the send queue unless it is on it already.</summary>
    internal void Schedule(YamuxStream stream)
    {
        if (stream.TryMarkScheduled())
            _sendQueue.Writer.TryWrite(YamuxOutbound.ForStream(stream));
    }

    /// <summary>Forgets a stream that is closed both ways or reset.</summary>
    internal void Remove(YamuxStream stream)
    {
        if (!_streams.TryRemove(new KeyValuePair<uint, YamuxStream>(stream.Id, stream)))
            return;
        if (stream.IsOutbound)
            Interlocked.Decrement(ref _outboundStreams);
        else
            Interlocked.Decrement(ref _inboundStreams);
    }

    // ---- the read loop ----

    private async Task ReadLoopAsync()
    {
        var input = _connection.Input;
        YamuxException? error = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                    break;
                var buffer = result.Buffer;
                error = ProcessFrames(ref buffer);
                input.AdvanceTo(buffer.Start, buffer.End);
                if (error is not null || Volatile.Read(ref _terminated) != 0)
                    break;
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty || _bodyRemaining > 0)
                    {
                        error = new YamuxException(YamuxError.ConnectionClosed,
                            $"the connection closed in the middle of a frame ({buffer.Length + _bodyRemaining} bytes missing or unparsed)");
                    }
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = new YamuxException(YamuxError.ConnectionError, $"reading the connection failed: {e.Message}", e);
        }
        Volatile.Write(ref _readLoopDone, 1);
        await input.CompleteAsync().ConfigureAwait(false);

        YamuxGoAwayCode? goAway = error switch
        {
            null => YamuxGoAwayCode.Normal,
            { IsProtocolViolation: true } => YamuxGoAwayCode.ProtocolError,
            _ => null,
        };
        Terminate(error, goAway);
    }

    /// <summary>Handles every complete frame (and the available part of a data body) at the start of <paramref name="buffer"/>.</summary>
    private YamuxException? ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            if (_bodyRemaining > 0)
            {
                if (buffer.IsEmpty)
                    return null;
                var take = Math.Min(_bodyRemaining, buffer.Length);
                _bodyStream?.Deliver(buffer.Slice(0, take));
                buffer = buffer.Slice(take);
                _bodyRemaining -= take;
                if (_bodyRemaining > 0)
                    return null;
                ApplyCloseFlags(_bodyStream, _bodyFlags);
                _bodyStream = null;
                continue;
            }

            var status = YamuxHeader.TryRead(buffer, out var header, out var headerError);
            if (status == OperationStatus.NeedMoreData)
                return null;
            if (status != OperationStatus.Done)
                return Violation(headerError, $"unreadable frame header ({headerError}): {Convert.ToHexString(buffer.Slice(0, YamuxHeader.Size).ToArray())}");
            buffer = buffer.Slice(YamuxHeader.Size);
            var error = HandleFrame(header);
            if (error is not null)
                return error;
        }
    }

    private YamuxException? HandleFrame(in YamuxHeader header)
    {
        if (header.StreamId == 0)
        {
            return header.Type switch
            {
                YamuxFrameType.Ping => HandlePing(header),
                YamuxFrameType.GoAway => HandleGoAway(header),
                _ => Violation(YamuxError.InvalidStreamId, $"{header.Type} on stream 0, which is the session's"),
            };
        }
        if (header.Type is YamuxFrameType.Ping or YamuxFrameType.GoAway)
            return Violation(YamuxError.InvalidStreamId, $"{header.Type} on stream {header.StreamId}; it belongs on stream 0");
        if (header.Type == YamuxFrameType.Data && header.Length > _options.StreamWindowSize)
            return Violation(YamuxError.FrameTooLarge, $"a {header.Length}-byte data frame on stream {header.StreamId}; no window here exceeds {_options.StreamWindowSize}");

        YamuxStream? stream;
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            var error = OpenInbound(header.StreamId, out stream);
            if (error is not null)
                return error;
        }
        else if (!_streams.TryGetValue(header.StreamId, out stream))
        {
            if (!IsPastStreamId(header.StreamId))
                return Violation(YamuxError.InvalidStreamId, $"{header.Type} for stream {header.StreamId}, which was never opened");
            // A late frame for a stream already closed or reset (or refused): its data is dropped.
            stream = null;
        }

        if (header.Type == YamuxFrameType.WindowUpdate)
        {
            if (stream is not null && header.Length > 0)
            {
                if (!stream.TryAddSendWindow(header.Length))
                    return Violation(YamuxError.SendWindowOverflow, $"window updates push stream {header.StreamId}'s send window past 2^32 - 1");
                Schedule(stream);
            }
            ApplyCloseFlags(stream, header.Flags);
            return null;
        }

        if (stream is not null && header.Length > 0)
        {
            if (stream.RemoteFinReceived)
                return Violation(YamuxError.DataAfterFin, $"{header.Length} bytes on stream {header.StreamId} after the peer's FIN");
            if (!stream.TryReserveReceiveWindow(header.Length))
                return Violation(YamuxError.ReceiveWindowExceeded, $"{header.Length} bytes on stream {header.StreamId}, beyond its receive window");
        }
        _bodyStream = stream;
        _bodyRemaining = header.Length;
        _bodyFlags = header.Flags;
        if (_bodyRemaining == 0)
        {
            ApplyCloseFlags(stream, header.Flags);
            _bodyStream = null;
        }
        return null;
    }

    private YamuxException? OpenInbound(uint id, out YamuxStream? stream)
    {
        stream = null;
        if ((id & 1) != _remoteParity)
            return Violation(YamuxError.InvalidStreamId, $"the peer opened stream {id}, an id of this side's parity");
        if (_streams.ContainsKey(id))
            return Violation(YamuxError.DuplicateStream, $"the peer opened stream {id}, which is already open");
        _highestInboundId = Math.Max(_highestInboundId, id);

        if (Volatile.Read(ref _localGoAway) != 0 || Volatile.Read(ref _terminated) != 0
            || Volatile.Read(ref _inboundStreams) >= _options.MaxInboundStreams)
        {
            Enqueue(YamuxOutboundKind.RefuseStream, id);
            return null;
        }
        var created = new YamuxStream(this, id, isOutbound: false, _options);
        _streams[id] = created;
        Interlocked.Increment(ref _inboundStreams);
        if (!_acceptQueue.Writer.TryWrite(created))
        {
            // The application is not accepting fast enough (or the session is ending).
            Remove(created);
            Enqueue(YamuxOutboundKind.RefuseStream, id);
            return null;
        }
        stream = created;
        return null;
    }

    /// <summary>True for an id that may have been in use: one the peer could have opened, or one this side handed out.</summary>
    private bool IsPastStreamId(uint id) => (id & 1) == _remoteParity
        ? id <= _highestInboundId
        : id < Interlocked.Read(ref _nextStreamId);

    private static void ApplyCloseFlags(YamuxStream? stream, YamuxFlags flags)
    {
        if (stream is null)
            return;
        if ((flags & YamuxFlags.Rst) != 0)
            stream.OnRemoteReset();
        else if ((flags & YamuxFlags.Fin) != 0 && !stream.RemoteFinReceived)
            stream.OnRemoteFin();
    }

    private YamuxException? HandlePing(in YamuxHeader header)
    {
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            if (Interlocked.Increment(ref _pendingPingResponses) > _options.MaxPendingPings)
                return Violation(YamuxError.TooManyPendingPings, $"more than {_options.MaxPendingPings} pings await an answer the peer does not read");
            Enqueue(YamuxOutboundKind.PingResponse, header.Length);
            return null;
        }
        if ((header.Flags & YamuxFlags.Ack) == 0)
            return Violation(YamuxError.InvalidFlags, $"a ping with flags {header.Flags}, neither SYN nor ACK");

        lock (_pingLock)
        {
            if (_pendingPings.Remove(header.Length, out var ping) && ping.Waiter is { } waiter)
                waiter.TrySetResult(_options.TimeProvider.GetElapsedTime(ping.StartTimestamp));
        }
        return null;
    }

    private YamuxException? HandleGoAway(in YamuxHeader header)
    {
        Interlocked.Exchange(ref _remoteGoAway, 1);
        var code = (YamuxGoAwayCode)header.Length;
        // A normal GoAway only stops new streams; open ones finish, and the peer closes the connection when done.
        return code == YamuxGoAwayCode.Normal
            ? null
            : new YamuxException(YamuxError.RemoteGoAway, $"the peer ended the session with GoAway({code})") { RemoteGoAwayCode = code };
    }

    private static YamuxException Violation(YamuxError error, string message) => new(error, $"yamux protocol violation: {message}");

    // ---- the write loop ----

    private async Task WriteLoopAsync()
    {
        var output = _connection.Output;
        var queue = _sendQueue.Reader;
        try
        {
            while (true)
            {
                if (queue.TryRead(out var item))
                {
                    Process(output, item);
                    if (_unflushed < FlushThreshold)
                        continue;
                }
                if (_unflushed > 0)
                {
                    _unflushed = 0;
                    var flush = await output.FlushAsync().ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        Terminate(new YamuxException(YamuxError.ConnectionClosed, "the connection stopped taking data"), goAway: null);
                        break;
                    }
                    continue;
                }
                if (!await queue.WaitToReadAsync().ConfigureAwait(false))
                    break;
            }
        }
        catch (Exception e)
        {
            Terminate(new YamuxException(YamuxError.ConnectionError, $"writing to the connection failed: {e.Message}", e), goAway: null);
        }
        await output.CompleteAsync().ConfigureAwait(false);
    }

    private void Process(PipeWriter output, in YamuxOutbound item)
    {
        var terminated = Volatile.Read(ref _terminated) != 0;
        switch (item.Kind)
        {
            case YamuxOutboundKind.Stream:
                // After termination every stream was already failed; only the GoAway still goes out.
                if (!terminated)
                    ServiceStream(output, item.Stream!);
                break;
            case YamuxOutboundKind.PingRequest when !terminated:
                WriteHeader(output, new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Syn, 0, item.Value));
                break;
            case YamuxOutboundKind.PingResponse:
                Interlocked.Decrement(ref _pendingPingResponses);
                if (!terminated)
                    WriteHeader(output, new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Ack, 0, item.Value));
                break;
            case YamuxOutboundKind.GoAway:
                WriteHeader(output, new YamuxHeader(YamuxFrameType.GoAway, YamuxFlags.None, 0, item.Value));
                break;
            case YamuxOutboundKind.RefuseStream when !terminated:
                WriteHeader(output, new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, item.Value, 0));
                break;
        }
    }

    /// <summary>Sends what <paramref name="stream"/> has pending, in order: reset; SYN/ACK and window credit; one data frame or FIN.</summary>
    private void ServiceStream(PipeWriter output, YamuxStream stream)
    {
        stream.ClearScheduled();
        var id = stream.Id;

        if (stream.LocalResetRequested)
        {
            // A stream reset before its SYN went out was never known to the peer: it just disappears.
            var announced = stream.TakeOpenFlag() != YamuxFlags.Syn;
            if (announced && !stream.IsFullyClosed)
                WriteHeader(output, new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, id, 0));
            stream.FinalizeOutbound(new YamuxException(YamuxError.StreamReset, $"stream {id} was reset locally"));
            stream.MarkLocalClosed();
            stream.MarkRemoteClosed();
            Remove(stream);
            return;
        }

        var openFlag = stream.TakeOpenFlag();
        var credit = stream.IsRemoteClosed ? 0 : stream.TakeCredit(force: openFlag != YamuxFlags.None);
        if (openFlag != YamuxFlags.None || credit > 0)
            WriteHeader(output, new YamuxHeader(YamuxFrameType.WindowUpdate, openFlag, id, credit));

        bool finished;
        lock (stream.OutboundSync)
        {
            if (!stream.IsOutboundFinalizedLocked)
                SendData(output, stream);
            finished = stream.IsOutboundFinalizedLocked;
        }

        if (finished && stream.InputAbandoned && !stream.IsRemoteClosed)
        {
            // Both of the application's pipes are done but the peer's side is still open: release the stream with
            // RST rather than hold it until the peer closes, as js-libp2p does with streams it has finished with.
            WriteHeader(output, new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, id, 0));
            stream.MarkRemoteClosed();
            stream.MarkLocalClosed();
            Remove(stream);
        }
    }

    /// <summary>One data frame (and FIN with the last one), as far as the peer's window allows; the caller holds the stream's outbound lock.</summary>
    private void SendData(PipeWriter output, YamuxStream stream)
    {
        var reader = stream.OutboundReader;
        ReadResult result;
        try
        {
            if (!reader.TryRead(out result))
                return;
        }
        catch (Exception error)
        {
            // The application completed Output with an error: the peer must not take the stream as cleanly finished.
            WriteHeader(output, new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, stream.Id, 0));
            var reset = new YamuxException(YamuxError.StreamReset, $"stream {stream.Id} was reset: its writer failed", error);
            stream.FinalizeOutbound(reset);
            stream.AbortInbound(reset);
            stream.MarkLocalClosed();
            stream.MarkRemoteClosed();
            Remove(stream);
            return;
        }

        var buffer = result.Buffer;
        if (buffer.IsEmpty)
        {
            reader.AdvanceTo(buffer.Start);
            if (result.IsCompleted)
            {
                WriteHeader(output, new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, stream.Id, 0));
                FinishOutbound(stream);
            }
            return;
        }

        var window = stream.SendWindow;
        if (window <= 0)
        {
            // Parked: the peer's next window update puts the stream back on the queue.
            reader.AdvanceTo(buffer.Start);
            return;
        }
        var length = (int)Math.Min(Math.Min(buffer.Length, window), _options.MaxDataFrameSize);
        var last = result.IsCompleted && length == buffer.Length;
        WriteHeader(output, new YamuxHeader(YamuxFrameType.Data, last ? YamuxFlags.Fin : YamuxFlags.None, stream.Id, (uint)length));
        foreach (var segment in buffer.Slice(0, length))
            output.Write(segment.Span);
        _unflushed += length;
        stream.ConsumeSendWindow(length);
        reader.AdvanceTo(buffer.GetPosition(length));

        if (last)
            FinishOutbound(stream);
        else if ((length < buffer.Length || result.IsCompleted) && stream.SendWindow > 0)
            Schedule(stream); // more to send: back of the queue, so that streams take turns
    }

    private void FinishOutbound(YamuxStream stream)
    {
        stream.FinalizeOutbound(null);
        if (stream.MarkLocalClosed())
            Remove(stream);
    }

    private void WriteHeader(PipeWriter output, in YamuxHeader header)
    {
        header.Write(output.GetSpan(YamuxHeader.Size));
        output.Advance(YamuxHeader.Size);
        _unflushed += YamuxHeader.Size;
    }

    // ---- session state ----

    private void Enqueue(YamuxOutboundKind kind, uint value) => _sendQueue.Writer.TryWrite(new YamuxOutbound(kind, null, value));

    private void OnKeepAliveTick()
    {
        uint opaque;
        lock (_pingLock)
        {
            if (Volatile.Read(ref _terminated) != 0)
                return;
            var unanswered = _keepAliveOpaque is { } previous && _pendingPings.ContainsKey(previous);
            opaque = unanswered ? 0 : NextPingOpaque();
            if (!unanswered)
            {
                _pendingPings[opaque] = new PendingPing(null, _options.TimeProvider.GetTimestamp());
                _keepAliveOpaque = opaque;
            }
        }
        if (opaque == 0)
        {
            Terminate(new YamuxException(YamuxError.KeepAliveTimeout,
                $"the peer did not answer a keep-alive ping within {_options.KeepAliveInterval}"), goAway: null);
            return;
        }
        Enqueue(YamuxOutboundKind.PingRequest, opaque);
    }

    /// <summary>
    /// Ends the session once: records why, queues the GoAway (if any) as the last frame, fails every stream and pending
    /// ping, and stops both loops (the write loop after sending what is queued).
    /// </summary>
    private void Terminate(YamuxException? error, YamuxGoAwayCode? goAway)
    {
        var streamError = error is null
            ? new YamuxException(YamuxError.SessionClosed, "the yamux session was closed")
            : new YamuxException(YamuxError.SessionClosed, $"the yamux session ended: {error.Message}", error);
        lock (_pingLock)
        {
            if (_terminated != 0)
                return;
            _error = error;
            _streamError = streamError;
            Volatile.Write(ref _terminated, 1);
            foreach (var ping in _pendingPings.Values)
                ping.Waiter?.TrySetException(streamError);
            _pendingPings.Clear();
        }
        _keepAliveTimer?.Dispose();
        if (goAway is { } code && Interlocked.Exchange(ref _localGoAway, 1) == 0)
            Enqueue(YamuxOutboundKind.GoAway, (uint)code);
        _sendQueue.Writer.TryComplete();
        _acceptQueue.Writer.TryComplete();
        foreach (var stream in _streams.Values)
        {
            stream.AbortInbound(streamError);
            stream.FinalizeOutbound(streamError);
        }
        if (Volatile.Read(ref _readLoopDone) == 0)
            _connection.Input.CancelPendingRead();
    }

    /// <summary>The next opaque value for a ping of ours: never 0 (the caller holds the ping lock).</summary>
    private uint NextPingOpaque()
    {
        if (++_lastPingOpaque == 0)
            _lastPingOpaque = 1;
        return _lastPingOpaque;
    }

    private void ThrowIfTerminated()
    {
        if (Volatile.Read(ref _terminated) != 0)
            throw _streamError ?? new YamuxException(YamuxError.SessionClosed, "the yamux session was closed");
    }

    private async Task CompleteWhenDoneAsync()
    {
        await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        if (_error is { } error)
            _completion.TrySetException(error);
        else
            _completion.TrySetResult();
    }

    private readonly record struct PendingPing(TaskCompletionSource<TimeSpan>? Waiter, long StartTimestamp);
}
