using System.Buffers;
using System.IO.Pipelines;
using Sequencer.Core.Identity;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Noise;

/// <summary>
/// A connection secured by a Noise handshake, as a duplex pipe of plaintext: what the application writes to
/// <see cref="Output"/> leaves as Noise transport frames (u16 length ‖ ChaCha20-Poly1305 ciphertext ‖ tag, at most
/// 65535 bytes), and the frames that arrive are checked and decrypted into <see cref="Input"/>. Obtain one from
/// <see cref="NoiseSecurity"/>; it owns the connection.
/// <para>
/// Two loops move the bytes. The encrypt loop reads what the application flushed, cuts it into frames directly in the
/// connection's output buffer (copy, then encrypt in place) and flushes the connection after at most 64 KiB; the
/// decrypt loop takes every complete frame from the connection's input and decrypts it straight into the
/// application's input buffer (in place when the frame arrived split across segments). Buffers are the stack's pooled
/// blocks, so a steady flow allocates nothing per frame. Each direction is bounded: the loop waits while the
/// application (or the connection) is behind by more than <see cref="NoiseOptions.ChannelPauseThreshold"/>, which in
/// turn stops it reading the other side — backpressure end to end, nothing buffered without bound.
/// </para>
/// <para>
/// Ending: completing <see cref="Output"/> sends what was written and then completes the connection's output (TCP:
/// FIN); the connection closing at a frame boundary completes <see cref="Input"/>; completing <see cref="Input"/>
/// stops reading the connection. A frame that does not authenticate, a frame cut short by the close, or an exhausted
/// nonce ends the whole channel: <see cref="Input"/> and the application's next flush fail with a
/// <see cref="NoiseException"/>, the connection's output is completed with it (TCP: reset) and
/// <see cref="Completion"/> faults with it. Each loop owns its direction's <see cref="CipherState"/> and disposes it
/// (wiping the key) as it ends, so the keys of a closed channel do not outlive it in memory.
/// </para>
/// </summary>
public sealed class NoiseSecureChannel : IDuplexPipe, IAsyncDisposable
{
    /// <summary>The largest Noise message (length-prefix excluded).</summary>
    public const int MaxFrameSize = NoiseFraming.MaxMessageSize;

    /// <summary>The most plaintext one frame can carry (65535 − 16).</summary>
    public const int MaxPlaintextSize = MaxFrameSize - CipherState.TagSize;

    // Frames are cut one byte below the protocol's maximum so that prefix, ciphertext and tag (65536 bytes) fit one
    // 64 KiB pool block: a 65537-byte request would fall back to the shared array pool.
    private const int MaxChunkSize = MaxPlaintextSize - 1;

    // Each loop flushes after about this many bytes, so a large write, or a large backlog on the connection, meets
    // backpressure frame by frame rather than being processed whole into the next pipe.
    private const int FlushThreshold = 64 * 1024;

    private readonly IDuplexPipe _connection;
    private readonly Pipe _inbound;
    private readonly Pipe _outbound;
    private readonly InboundReader _input;
    private readonly CipherState _sendCipher;
    private readonly CipherState _receiveCipher;
    private readonly byte[] _handshakeHash;
    private readonly NoiseOptions _options;
    private Task _encrypting = Task.CompletedTask;
    private Task _decrypting = Task.CompletedTask;
    private Task _completion = Task.CompletedTask;
    private NoiseException? _failure;
    private int _inputCompleted;
    private int _decryptLoopDone;

    internal NoiseSecureChannel(IDuplexPipe connection, bool isInitiator, CipherState sendCipher, CipherState receiveCipher,
        PeerPublicKey remotePublicKey, IReadOnlyList<string> remoteStreamMuxers, string? streamMuxer,
        ReadOnlySpan<byte> handshakeHash, NoiseOptions options)
    {
        _connection = connection;
        _sendCipher = sendCipher;
        _receiveCipher = receiveCipher;
        _options = options;
        _handshakeHash = handshakeHash.ToArray();
        IsInitiator = isInitiator;
        RemotePublicKey = remotePublicKey;
        RemotePeerId = remotePublicKey.ToPeerId();
        RemoteStreamMuxers = remoteStreamMuxers;
        StreamMuxer = streamMuxer;
        long pause = options.ChannelPauseThreshold;
        _inbound = PipeFactory.Create(pause, Math.Max(1, pause / 2));
        _outbound = PipeFactory.Create(pause, Math.Max(1, pause / 2));
        _input = new InboundReader(this, _inbound.Reader);
    }

    /// <summary>Decrypted bytes from the peer.</summary>
    public PipeReader Input => _input;

    /// <summary>Plaintext to send; flushed data is encrypted and sent.</summary>
    public PipeWriter Output => _outbound.Writer;

    /// <summary>True on the side that initiated the handshake (the dialler; the yamux client).</summary>
    public bool IsInitiator { get; }

    /// <summary>The identity the peer proved (its key signed this handshake's static key).</summary>
    public PeerId RemotePeerId { get; }

    public PeerPublicKey RemotePublicKey { get; }

    /// <summary>The muxers the peer listed in its handshake payload (empty when it listed none).</summary>
    public IReadOnlyList<string> RemoteStreamMuxers { get; }

    /// <summary>
    /// The muxer both sides listed, to start right away without multistream-select (both sides decide alike); null
    /// when there is none: run multistream-select for the muxer inside this channel.
    /// </summary>
    public string? StreamMuxer { get; }

    /// <summary>Completes when both directions have ended; faults with the <see cref="NoiseException"/> that ended the channel, if one did.</summary>
    public Task Completion => _completion;

    /// <summary>The handshake hash: equal on both sides of one handshake, unique to it.</summary>
    internal ReadOnlySpan<byte> HandshakeHash => _handshakeHash;

    internal CipherState SendCipher => _sendCipher;

    internal CipherState ReceiveCipher => _receiveCipher;

    /// <summary>
    /// Closes gracefully: completes <see cref="Output"/> (what was written is still sent, waiting at most
    /// <see cref="NoiseOptions.CloseTimeout"/> on a connection that stopped taking data, then resetting it) and
    /// <see cref="Input"/>, and waits for both loops.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _outbound.Writer.CompleteAsync().ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
        if (_options.CloseTimeout != Timeout.InfiniteTimeSpan)
        {
            try
            {
                await _encrypting.WaitAsync(_options.CloseTimeout, _options.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _connection.Output.CancelPendingFlush();
            }
        }
        await Task.WhenAll(_encrypting, _decrypting).ConfigureAwait(false);
    }

    public override string ToString() => $"noise channel with {RemotePeerId} ({(IsInitiator ? "initiator" : "responder")})";

    internal void Start()
    {
        _decrypting = DecryptLoopAsync();
        _encrypting = EncryptLoopAsync();
        _completion = CompleteWhenDoneAsync();
    }

    // ---- application → connection ----

    private async Task EncryptLoopAsync()
    {
        var plaintext = _outbound.Reader;
        var connection = _connection.Output;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await plaintext.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    // Only Fail cancels this read: the channel is over.
                    error = _failure;
                    break;
                }
                var buffer = result.Buffer;
                var status = EncryptFrames(ref buffer, connection, out var written);
                plaintext.AdvanceTo(buffer.Start);
                if (status != NoiseError.None)
                {
                    error = Fail(new NoiseException(status, status == NoiseError.NonceExhausted
                        ? $"the send cipher reached its last nonce after {_sendCipher.Nonce} frames: the session must end"
                        : "the send cipher was disposed: the channel has ended"));
                    break;
                }
                if (written > 0)
                {
                    var flush = await connection.FlushAsync().ConfigureAwait(false);
                    if (flush.IsCanceled)
                    {
                        // DisposeAsync gave up on a connection that stopped taking data.
                        error = _failure ?? Fail(new NoiseException(NoiseError.ConnectionClosed,
                            $"sending was abandoned after {_options.CloseTimeout}: the connection stopped taking data"));
                        break;
                    }
                    if (flush.IsCompleted)
                        break;
                }
                if (result.IsCompleted && buffer.IsEmpty)
                    break;
            }
        }
        catch (Exception e)
        {
            // The connection failed, or the application completed Output with an error: pass it on both ways.
            error = e;
        }
        // Nothing is encrypted after this loop: the send key is wiped now, not whenever the channel is collected.
        _sendCipher.Dispose();
        await plaintext.CompleteAsync(error).ConfigureAwait(false);
        await connection.CompleteAsync(error).ConfigureAwait(false);
    }

    /// <summary>Encrypts whole frames from <paramref name="buffer"/> into the connection until it is empty or about 64 KiB were written.</summary>
    private NoiseError EncryptFrames(ref ReadOnlySequence<byte> buffer, PipeWriter connection, out int written)
    {
        written = 0;
        while (!buffer.IsEmpty && written < FlushThreshold)
        {
            if (_sendCipher.Nonce == CipherState.ExhaustedNonce)
                return NoiseError.NonceExhausted;
            var chunk = (int)Math.Min(buffer.Length, MaxChunkSize);
            var frameSize = chunk + CipherState.TagSize;
            var span = connection.GetSpan(NoiseFraming.LengthPrefixSize + frameSize);
            NoiseFraming.WriteLength(span, frameSize);
            var body = span.Slice(NoiseFraming.LengthPrefixSize, frameSize);
            buffer.Slice(0, chunk).CopyTo(body);
            var status = _sendCipher.EncryptWithAd([], body[..chunk], body, out _);
            if (status != NoiseError.None)
            {
                // Not advanced: the plaintext copied into the connection's buffer is never sent.
                body[..chunk].Clear();
                return status;
            }
            connection.Advance(NoiseFraming.LengthPrefixSize + frameSize);
            buffer = buffer.Slice(chunk);
            written += NoiseFraming.LengthPrefixSize + frameSize;
        }
        return NoiseError.None;
    }

    // ---- connection → application ----

    private async Task DecryptLoopAsync()
    {
        var connection = _connection.Input;
        var plaintext = _inbound.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await connection.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    // Cancelled by Fail (error set) or because the application completed Input (stop quietly).
                    error = _failure;
                    break;
                }
                var buffer = result.Buffer;
                var status = DecryptFrames(ref buffer, plaintext, out var stoppedEarly, out var failure);
                // Stopped early, the rest is unexamined, so the next read returns at once with the frames left.
                connection.AdvanceTo(buffer.Start, stoppedEarly ? buffer.Start : buffer.End);
                if (status != NoiseError.None)
                {
                    error = Fail(new NoiseException(status, failure!));
                    break;
                }
                var flush = await plaintext.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                    break;
                if (result.IsCompleted && !stoppedEarly)
                {
                    if (!buffer.IsEmpty)
                    {
                        error = Fail(new NoiseException(NoiseError.ConnectionClosed,
                            $"the connection closed inside a Noise frame ({DescribePartialFrame(buffer)})"));
                    }
                    break;
                }
            }
        }
        catch (Exception e)
        {
            // The connection failed (reset): the application sees the transport's own error.
            error = e;
        }
        Volatile.Write(ref _decryptLoopDone, 1);
        // Nothing is decrypted after this loop: the receive key is wiped now.
        _receiveCipher.Dispose();
        // The transport's reader is completed without an error: its receive loop treats that as "nobody reads any more".
        await connection.CompleteAsync().ConfigureAwait(false);
        await plaintext.CompleteAsync(error).ConfigureAwait(false);
    }

    /// <summary>
    /// Decrypts the complete frames at the start of <paramref name="buffer"/> into the application's pipe, stopping
    /// (<paramref name="stoppedEarly"/>) after about 64 KiB so that the flush that follows applies backpressure.
    /// </summary>
    private NoiseError DecryptFrames(ref ReadOnlySequence<byte> buffer, PipeWriter plaintext, out bool stoppedEarly, out string? failure)
    {
        failure = null;
        stoppedEarly = false;
        var decrypted = 0;
        while (NoiseFraming.TryReadLength(buffer, out var frameSize) && buffer.Length >= NoiseFraming.LengthPrefixSize + frameSize)
        {
            if (decrypted >= FlushThreshold)
            {
                stoppedEarly = true;
                break;
            }
            if (frameSize < CipherState.TagSize)
            {
                failure = $"a {frameSize}-byte transport frame cannot hold the {CipherState.TagSize}-byte tag";
                return NoiseError.MessageTooShort;
            }
            var frame = buffer.Slice(NoiseFraming.LengthPrefixSize, frameSize);
            var destination = plaintext.GetSpan(frameSize);
            NoiseError status;
            int length;
            if (frame.IsSingleSegment)
            {
                status = _receiveCipher.DecryptWithAd([], frame.FirstSpan, destination, out length);
            }
            else
            {
                frame.CopyTo(destination);
                status = _receiveCipher.DecryptWithAd([], destination[..frameSize], destination, out length);
            }
            if (status != NoiseError.None)
            {
                failure = status switch
                {
                    NoiseError.DecryptionFailed => $"transport frame {_receiveCipher.Nonce} ({frameSize} bytes) does not authenticate",
                    NoiseError.NonceExhausted => $"the receive cipher reached its last nonce after {_receiveCipher.Nonce} frames: the session must end",
                    _ => "the receive cipher was disposed: the channel has ended",
                };
                return status;
            }
            plaintext.Advance(length);
            decrypted += frameSize;
            buffer = buffer.Slice(frame.End);
        }
        return NoiseError.None;
    }

    private static string DescribePartialFrame(in ReadOnlySequence<byte> buffer) =>
        NoiseFraming.TryReadLength(buffer, out var frameSize)
            ? $"{buffer.Length - NoiseFraming.LengthPrefixSize} of {frameSize} bytes received"
            : "1 byte of the length prefix received";

    // ---- ending ----

    /// <summary>Records the first fatal error and wakes both loops so that each ends its direction with it.</summary>
    private NoiseException Fail(NoiseException error)
    {
        Interlocked.CompareExchange(ref _failure, error, null);
        _outbound.Reader.CancelPendingRead();
        if (Volatile.Read(ref _decryptLoopDone) == 0)
            _connection.Input.CancelPendingRead();
        return _failure;
    }

    private void OnInputCompleted()
    {
        if (Interlocked.Exchange(ref _inputCompleted, 1) == 0 && Volatile.Read(ref _decryptLoopDone) == 0)
            _connection.Input.CancelPendingRead();
    }

    private async Task CompleteWhenDoneAsync()
    {
        await Task.WhenAll(_encrypting, _decrypting).ConfigureAwait(false);
        if (_failure is { } failure)
            throw failure;
    }

    /// <summary>
    /// The application's view of the decrypted pipe. It only adds one thing: completing it stops the decrypt loop at
    /// once (a plain pipe would tell the loop only at its next flush, which needs the peer to send something first).
    /// </summary>
    private sealed class InboundReader(NoiseSecureChannel channel, PipeReader reader) : PipeReader
    {
        public override bool TryRead(out ReadResult result) => reader.TryRead(out result);

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => reader.ReadAsync(cancellationToken);

        public override void AdvanceTo(SequencePosition consumed) => reader.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => reader.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => reader.CancelPendingRead();

        public override void Complete(Exception? exception = null)
        {
            reader.Complete(exception);
            channel.OnInputCompleted();
        }
    }
}
