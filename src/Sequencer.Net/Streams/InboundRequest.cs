using System.Buffers;
using Sequencer.Core.Identity;
using Sequencer.Core.Wire;
using Sequencer.Net.Host;

namespace Sequencer.Net.Streams;

/// <summary>
/// One request received on a direct stream, to be answered exactly once. <see cref="Payload"/> is the request frame's
/// payload in a pooled buffer, valid until the request is answered or refused (it then returns to the pool); a request
/// that expires unanswered keeps its buffer, so a late reader never sees reused memory.
/// </summary>
public sealed class InboundRequest
{
    private const int Pending = 0;
    private const int Answered = 1;
    private const int Refused = 2;
    private const int Expired = 3;

    private readonly ProtocolStream _stream;
    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly int _maxResponseSize;
    private readonly TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    internal InboundRequest(ProtocolStream stream, byte[] buffer, int length, int maxResponseSize)
    {
        _stream = stream;
        _buffer = buffer;
        _length = length;
        _maxResponseSize = maxResponseSize;
    }

    /// <summary>The authenticated peer that sent the request (the identity its Noise handshake proved).</summary>
    public PeerId RemotePeer => _stream.RemotePeer;

    public string Protocol => _stream.Protocol;

    public PeerConnection Connection => _stream.Connection;

    public ReadOnlyMemory<byte> Payload => _buffer.AsMemory(0, _length);

    /// <summary>
    /// Sends <paramref name="response"/> as the one response frame. False when the request was already answered,
    /// refused, or expired (then nothing is sent). Any thread; it does not wait for the network.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The response exceeds <see cref="RequestOptions.MaxResponseSize"/>.</exception>
    public bool TryRespond(ReadOnlySpan<byte> response)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(response.Length, _maxResponseSize, nameof(response));
        if (Interlocked.CompareExchange(ref _state, Answered, Pending) != Pending)
            return false;
        // Only the winner of the exchange writes, and the serving task touches the stream only after _decided.
        WireFrame.WriteFrame(_stream.Output, response, _maxResponseSize);
        _decided.TrySetResult();
        return true;
    }

    /// <summary>Refuses the request: the stream is reset, and the requester fails with <see cref="RequestError.Refused"/>.</summary>
    public bool Refuse()
    {
        if (Interlocked.CompareExchange(ref _state, Refused, Pending) != Pending)
            return false;
        _stream.Reset();
        _decided.TrySetResult();
        return true;
    }

    /// <summary>Waits for the answer; true when it was answered (the frame is written, not yet flushed).</summary>
    internal async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await _decided.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            if (Interlocked.CompareExchange(ref _state, Expired, Pending) == Pending)
                return false;
            // A response or refusal is being made right now: it finishes without waiting on anything.
            await _decided.Task.ConfigureAwait(false);
        }
        return Volatile.Read(ref _state) == Answered;
    }

    /// <summary>Returns the payload's buffer once nobody may read it any more.</summary>
    internal void Release()
    {
        if (Volatile.Read(ref _state) is Answered or Refused)
            ArrayPool<byte>.Shared.Return(_buffer);
    }
}
