using System.IO.Pipelines;

namespace Sequencer.Net.Yamux;

/// <summary>
/// The application's end of a stream's send pipe. It passes everything through and, on every flush or completion,
/// puts the stream on the session's send queue. The flush itself waits (backpressure) while the pipe holds more than
/// <see cref="YamuxOptions.StreamSendBufferSize"/> unsent bytes — which it does when the peer's window is exhausted.
/// </summary>
internal sealed class YamuxStreamWriter(YamuxStream stream, PipeWriter inner) : PipeWriter
{
    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        // The flush commits the data before it returns (even when it then waits): schedule after it, never before.
        var flush = inner.FlushAsync(cancellationToken);
        stream.OnOutputReady();
        return flush;
    }

    public override void Complete(Exception? exception = null)
    {
        inner.Complete(exception);
        stream.OnOutputReady();
    }
}
