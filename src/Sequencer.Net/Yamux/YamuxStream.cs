using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Yamux;

/// <summary>
/// One yamux stream as a duplex pipe. Read <see cref="Input"/> until it completes (the peer's FIN); complete
/// <see cref="Output"/> to half-close (FIN) — reading goes on; <see cref="Reset"/> aborts both directions (RST). A
/// reset, from either side, or the end of the session makes pending and later reads and flushes throw a
/// <see cref="YamuxException"/>. Completing both pipes releases the stream (if the peer has not closed its side by
/// then, it is reset, as js-libp2p does with finished streams).
/// <para>
/// Flow control: the peer may send at most one receive window ahead of what the application has read. The window is
/// returned as the application examines data (the <c>examined</c> position of <see cref="PipeReader.AdvanceTo(SequencePosition, SequencePosition)"/>),
/// so a reader waiting for a message larger than the window keeps receiving, and a reader that stops reading stops
/// the peer after one window. Writes go out while the peer's window lasts; then the application's flush waits.
/// </para>
/// </summary>
public sealed class YamuxStream : IDuplexPipe
{
    private readonly YamuxSession _session;
    private readonly Pipe _inbound;
    private readonly Pipe _outbound;
    private readonly YamuxStreamReader _reader;
    private readonly YamuxStreamWriter _writer;
    private readonly long _creditThreshold;

    // Receive side. The read loop writes _inbound; completion can come from the read loop (FIN, RST), the application
    // (Reset) or the session's end, so writes and completion of _inbound are serialized by this lock.
    private readonly Lock _inboundLock = new();
    private bool _inboundCompleted;
    private bool _inputAbandoned;
    private long _delivered;
    private long _receiveWindow = YamuxOptions.InitialStreamWindow;
    private long _pendingCredit;

    // The application's read position (the application's thread only).
    private long _readerConsumed;
    private long _readerExamined;

    // Send side. The write loop reads _outbound and subtracts from the send window, the read loop adds to it; reading
    // _outbound and completing its reader (reset, the session's end) are serialized by OutboundSync.
    private long _sendWindow = YamuxOptions.InitialStreamWindow;
    private int _scheduled;
    private int _openFlag;
    private int _localResetRequested;
    private bool _outboundFinalized;
    private bool _remoteFinReceived;

    // A side is closed once its FIN went out / came in, or the stream was reset; closed both ways = removable.
    private int _localClosed;
    private int _remoteClosed;

    internal YamuxStream(YamuxSession session, uint id, bool isOutbound, YamuxOptions options)
    {
        _session = session;
        Id = id;
        IsOutbound = isOutbound;
        // The read loop must never wait on a stream: the receive window, not the pipe, bounds what is buffered.
        _inbound = PipeFactory.Create(pauseWriterThreshold: 0, resumeWriterThreshold: 0);
        _outbound = PipeFactory.Create(options.StreamSendBufferSize, options.StreamSendBufferSize / 2);
        _reader = new YamuxStreamReader(this, _inbound.Reader);
        _writer = new YamuxStreamWriter(this, _outbound.Writer);
        _creditThreshold = options.StreamWindowSize / 2;
        // A window above the spec's initial one is granted with the SYN or ACK.
        _pendingCredit = options.StreamWindowSize - YamuxOptions.InitialStreamWindow;
        if (isOutbound)
            _openFlag = (int)YamuxFlags.Syn;
    }

    public uint Id { get; }

    /// <summary>True when this side opened the stream.</summary>
    public bool IsOutbound { get; }

    public PipeReader Input => _reader;

    public PipeWriter Output => _writer;

    internal PipeReader OutboundReader => _outbound.Reader;

    internal object OutboundSync { get; } = new();

    /// <summary>The peer's FIN arrived (the read loop's own view; a reset is not a FIN).</summary>
    internal bool RemoteFinReceived => _remoteFinReceived;

    internal bool IsRemoteClosed => Volatile.Read(ref _remoteClosed) != 0;

    internal bool IsFullyClosed => Volatile.Read(ref _localClosed) != 0 && Volatile.Read(ref _remoteClosed) != 0;

    internal bool LocalResetRequested => Volatile.Read(ref _localResetRequested) != 0;

    internal bool InputAbandoned
    {
        get
        {
            lock (_inboundLock)
                return _inputAbandoned;
        }
    }

    internal long SendWindow => Interlocked.Read(ref _sendWindow);

    /// <summary>Aborts both directions: the peer gets RST, and reads and flushes here fail with <see cref="YamuxError.StreamReset"/>.</summary>
    public void Reset()
    {
        if (Interlocked.Exchange(ref _localResetRequested, 1) != 0)
            return;
        AbortInbound(new YamuxException(YamuxError.StreamReset, $"stream {Id} was reset locally"));
        _session.Schedule(this);
    }

    public override string ToString() => $"yamux stream {Id} ({(IsOutbound ? "outbound" : "inbound")})";

    // ---- scheduling (any thread) ----

    /// <summary>Claims the stream's place on the send queue; false when it is already queued.</summary>
    internal bool TryMarkScheduled() => Interlocked.Exchange(ref _scheduled, 1) == 0;

    /// <summary>
    /// Called by the write loop as it takes the stream off the queue, before looking at its state. A full fence: a
    /// flush that lands after the write loop looked must see the flag cleared and queue the stream again.
    /// </summary>
    internal void ClearScheduled() => Interlocked.Exchange(ref _scheduled, 0);

    internal void OnAccepted()
    {
        Interlocked.Exchange(ref _openFlag, (int)YamuxFlags.Ack);
        _session.Schedule(this);
    }

    internal void OnOutputReady() => _session.Schedule(this);

    // ---- the read loop ----

    /// <summary>Takes <paramref name="length"/> bytes of the receive window for an arriving data frame; false when the window is smaller.</summary>
    internal bool TryReserveReceiveWindow(uint length)
    {
        if (length > Interlocked.Read(ref _receiveWindow))
            return false;
        Interlocked.Add(ref _receiveWindow, -length);
        return true;
    }

    internal void Deliver(in ReadOnlySequence<byte> data)
    {
        lock (_inboundLock)
        {
            if (_inboundCompleted)
                return;
            if (!_inputAbandoned)
            {
                var writer = _inbound.Writer;
                foreach (var segment in data)
                    writer.Write(segment.Span);
                _delivered += data.Length;
                var flush = writer.FlushAsync();
                Debug.Assert(flush.IsCompleted, "a pipe without a pause threshold never makes its writer wait");
                return;
            }
        }
        // Nobody will read these bytes: hand their window straight back so the peer is not stalled by them.
        AddCredit(data.Length);
    }

    /// <summary>Adds a window update's delta; false when the window would exceed 2^32 − 1.</summary>
    internal bool TryAddSendWindow(uint delta) => Interlocked.Add(ref _sendWindow, delta) <= uint.MaxValue;

    internal void OnRemoteFin()
    {
        _remoteFinReceived = true;
        CompleteInbound(null);
        if (MarkRemoteClosed())
            _session.Remove(this);
    }

    internal void OnRemoteReset()
    {
        var reset = new YamuxException(YamuxError.StreamReset, $"stream {Id} was reset by the peer");
        AbortInbound(reset);
        FinalizeOutbound(reset);
        MarkRemoteClosed();
        MarkLocalClosed();
        _session.Remove(this);
    }

    /// <summary>Fails pending and later reads with <paramref name="error"/> (reset or the session's end).</summary>
    internal void AbortInbound(Exception error) => CompleteInbound(error);

    // ---- the write loop ----

    /// <summary>Whether the send side is finished; the caller holds <see cref="OutboundSync"/>.</summary>
    internal bool IsOutboundFinalizedLocked => _outboundFinalized;

    internal YamuxFlags TakeOpenFlag() => (YamuxFlags)Interlocked.Exchange(ref _openFlag, 0);

    /// <summary>
    /// The window to return to the peer now: everything pending once it reaches half a window (fewer, larger updates),
    /// or whatever is pending when a frame goes out anyway (<paramref name="force"/>). Added to the receive window
    /// here, before the update is written, so the read loop never sees the peer use a window it does not know of.
    /// </summary>
    internal uint TakeCredit(bool force)
    {
        var pending = Interlocked.Read(ref _pendingCredit);
        if (pending == 0 || (!force && pending < _creditThreshold))
            return 0;
        var credit = Interlocked.Exchange(ref _pendingCredit, 0);
        Interlocked.Add(ref _receiveWindow, credit);
        return (uint)credit;
    }

    internal void ConsumeSendWindow(int length) => Interlocked.Add(ref _sendWindow, -length);

    /// <summary>
    /// Completes the send pipe's reader (any thread): the application's pending and later flushes fail with
    /// <paramref name="error"/>, or just report completion.
    /// </summary>
    internal void FinalizeOutbound(Exception? error)
    {
        lock (OutboundSync)
        {
            if (_outboundFinalized)
                return;
            _outboundFinalized = true;
            _outbound.Reader.Complete(error);
        }
    }

    /// <summary>Records that this side's FIN or RST went out; true when the stream is now closed both ways.</summary>
    internal bool MarkLocalClosed()
    {
        Interlocked.Exchange(ref _localClosed, 1);
        return Volatile.Read(ref _remoteClosed) != 0;
    }

    internal bool MarkRemoteClosed()
    {
        Interlocked.Exchange(ref _remoteClosed, 1);
        return Volatile.Read(ref _localClosed) != 0;
    }

    // ---- the application's reader ----

    internal void OnRead(long consumedBytes, long examinedBytes)
    {
        var start = _readerConsumed;
        _readerConsumed = start + consumedBytes;
        var examinedEnd = start + examinedBytes;
        if (examinedEnd <= _readerExamined)
            return;
        var fresh = examinedEnd - _readerExamined;
        _readerExamined = examinedEnd;
        AddCredit(fresh);
    }

    internal void OnInputCompleted()
    {
        long unexamined;
        lock (_inboundLock)
        {
            if (_inputAbandoned)
                return;
            _inputAbandoned = true;
            unexamined = _delivered - _readerExamined;
        }
        AddCredit(unexamined);
        // With the send side finished too, the write loop can now release (reset) the stream.
        _session.Schedule(this);
    }

    private void AddCredit(long bytes)
    {
        // Once the peer has closed its side it sends nothing more: a window update would be noise.
        if (bytes <= 0 || IsRemoteClosed)
            return;
        if (Interlocked.Add(ref _pendingCredit, bytes) >= _creditThreshold)
            _session.Schedule(this);
    }

    private void CompleteInbound(Exception? error)
    {
        lock (_inboundLock)
        {
            if (_inboundCompleted)
                return;
            _inboundCompleted = true;
            _inbound.Writer.Complete(error);
        }
    }
}
