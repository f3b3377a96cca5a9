using System.IO.Pipelines;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// The wire side of the targets that fuzz a protocol running on pipes (yamux session, multistream-select, Noise,
/// identify): writes the input in the segments a socket might deliver, collects what the protocol sends back, and
/// bounds the whole exchange in time. A protocol that neither finishes nor fails once its input has ended is hanging,
/// and a hang is a broken contract like any other.
/// </summary>
internal static class RemotePeer
{
    /// <summary>
    /// Far beyond what one input needs (well under a millisecond unloaded), so that only a real hang reaches it even on a
    /// machine shared by many processes; still under afl-fuzz's own timeout (fuzz/run.sh), so the target reports it.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    /// <summary>Runs <paramref name="exchange"/> to its end; throws what it throws, or a contract violation when it outlives the deadline.</summary>
    public static void Run(Func<Task> exchange, string what)
    {
        var task = Task.Run(exchange);
        if (!task.Wait(Deadline))
            throw new ContractViolationException($"{what} did not end within {Deadline.TotalSeconds:0} s of its input ending: a hang");
        // Completed: rethrows the exchange's own exception rather than an AggregateException around it.
        task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> in flushes of <paramref name="segmentLength"/> bytes, then completes the writer
    /// (the peer's end of stream). Stops early, without an error, once the reading side has stopped reading.
    /// </summary>
    public static async Task SendAsync(PipeWriter wire, ReadOnlyMemory<byte> bytes, int segmentLength)
    {
        try
        {
            for (var offset = 0; offset < bytes.Length; offset += segmentLength)
            {
                var flush = await wire.WriteAsync(bytes.Slice(offset, Math.Min(segmentLength, bytes.Length - offset))).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                    break;
            }
        }
        finally
        {
            await wire.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Everything the protocol sends until it completes its output, and the error it completed it with (a protocol
    /// that gives up on a connection ends its output with its reason, which is what makes a transport reset it).
    /// </summary>
    public static async Task<(byte[] Received, Exception? Error)> ReceiveAsync(PipeReader wire)
    {
        var received = new MemoryStream();
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await wire.ReadAsync().ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                    received.Write(segment.Span);
                wire.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                    break;
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        await wire.CompleteAsync().ConfigureAwait(false);
        return (received.ToArray(), error);
    }
}
