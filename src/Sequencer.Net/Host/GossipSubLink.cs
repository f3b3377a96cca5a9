using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Sequencer.Net.PubSub;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Host;

/// <summary>
/// The router's link to one peer: a bounded byte queue in front of our outbound meshsub stream. The router queues
/// frames under its lock (<see cref="TrySend"/> never waits); <see cref="RunAsync"/> moves them to the stream as
/// fast as the stream's flow control allows. Frames queued before the stream is open wait for it. Once more than the
/// limit is waiting, frames are dropped (the router counts them; gossip repairs what a slow peer missed) rather than
/// letting one slow peer hold memory or stall the router.
/// <para>
/// A link more than half full is congested until it drains to a quarter: a publisher that would rather wait than
/// lose its own messages waits for that (<see cref="WaitForRoomAsync"/>).
/// </para>
/// </summary>
internal sealed class GossipSubLink(long limit, Action<Exception> onProtocolViolation, Action<int> onCongestionChanged) : IPubSubPeerLink
{
    // No pause threshold: the limit below bounds the queue, and the router must never wait on it.
    private readonly Pipe _queue = PipeFactory.Create(pauseWriterThreshold: 0, resumeWriterThreshold: 0);
    private readonly Lock _gate = new();
    private long _queued;
    private bool _completed;
    private bool _congested;
    private TaskCompletionSource? _room;

    public bool TrySend(ReadOnlySpan<byte> frame)
    {
        lock (_gate)
        {
            if (_completed || _queued + frame.Length > limit)
                return false;
            var writer = _queue.Writer;
            writer.Write(frame);
            _queued += frame.Length;
            var flush = writer.FlushAsync();
            Debug.Assert(flush.IsCompleted, "a pipe without a pause threshold never makes its writer wait");
            flush.GetAwaiter().GetResult();
            if (!_congested && _queued > limit / 2)
            {
                _congested = true;
                onCongestionChanged(1);
            }
        }
        return true;
    }

    /// <summary>Completes once the link is not congested (at once when it is not, or has ended).</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_congested)
                return Task.CompletedTask;
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The router dropped the peer for breaking the protocol.</summary>
    public void Close(Exception reason)
    {
        Complete();
        onProtocolViolation(reason);
    }

    /// <summary>No more frames: what is queued still goes out, then the stream is half-closed.</summary>
    public void Complete()
    {
        TaskCompletionSource? room;
        lock (_gate)
        {
            if (_completed)
                return;
            _completed = true;
            _queue.Writer.Complete();
            room = Relieve();
        }
        room?.TrySetResult();
    }

    /// <summary>Drops everything queued when no stream will ever carry it (the outbound stream never opened).</summary>
    public void Abandon()
    {
        Complete();
        _queue.Reader.Complete();
    }

    /// <summary>Sends queued frames on <paramref name="stream"/> until the queue completes or the stream fails.</summary>
    public async Task RunAsync(ProtocolStream stream)
    {
        var reader = _queue.Reader;
        var output = stream.Output;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                // Taken before AdvanceTo: the segments go back to the pool then, and a multi-segment length with them.
                var length = buffer.Length;
                foreach (var segment in buffer)
                    output.Write(segment.Span);
                reader.AdvanceTo(buffer.End);
                TaskCompletionSource? room = null;
                lock (_gate)
                {
                    _queued -= length;
                    if (_congested && _queued <= limit / 4)
                        room = Relieve();
                }
                room?.TrySetResult();
                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || result.IsCompleted)
                    break;
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        Complete();
        await reader.CompleteAsync().ConfigureAwait(false);
        if (error is null)
            await stream.CloseAsync().ConfigureAwait(false);
        else
            stream.Reset();
    }

    // Under _gate: ends congestion and hands out the waiters' signal (set outside the lock).
    private TaskCompletionSource? Relieve()
    {
        if (_congested)
        {
            _congested = false;
            onCongestionChanged(-1);
        }
        var room = _room;
        _room = null;
        return room;
    }
}
