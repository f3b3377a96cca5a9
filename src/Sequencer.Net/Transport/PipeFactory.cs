using System.IO.Pipelines;

namespace Sequencer.Net.Transport;

/// <summary>
/// Pipes as the stack uses them: memory from <see cref="BlockMemoryPool"/>, continuations on the thread pool through
/// <see cref="ContinuationScheduler"/> (no allocation per wake-up, no application code running inline on a transport
/// loop), no synchronization context, and the given backpressure thresholds (0 disables pausing: for pipes whose
/// producer is bounded by other means, such as a yamux receive window).
/// </summary>
internal static class PipeFactory
{
    public static Pipe Create(long pauseWriterThreshold, long resumeWriterThreshold) => new(new PipeOptions(
        pool: BlockMemoryPool.Shared,
        readerScheduler: new ContinuationScheduler(),
        writerScheduler: new ContinuationScheduler(),
        pauseWriterThreshold: pauseWriterThreshold,
        resumeWriterThreshold: resumeWriterThreshold,
        useSynchronizationContext: false));

    /// <summary>
    /// Two connected in-memory endpoints: what one writes, the other reads. For tests, benchmarks and in-process
    /// peers; each direction pauses its writer at <paramref name="pauseWriterThreshold"/> unread bytes.
    /// </summary>
    public static (IDuplexPipe Left, IDuplexPipe Right) CreateConnectedPair(long pauseWriterThreshold = 1 << 20)
    {
        var leftToRight = Create(pauseWriterThreshold, pauseWriterThreshold / 2);
        var rightToLeft = Create(pauseWriterThreshold, pauseWriterThreshold / 2);
        return (new DuplexPipe(rightToLeft.Reader, leftToRight.Writer), new DuplexPipe(leftToRight.Reader, rightToLeft.Writer));
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
