using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Sequencer.Net.Yamux;

/// <summary>
/// The application's end of a stream's receive pipe. It passes everything through and tells the stream how far the
/// application has read, which is what the stream returns to the peer as receive window.
/// </summary>
internal sealed class YamuxStreamReader(YamuxStream stream, PipeReader inner) : PipeReader
{
    // The buffer of the last read: AdvanceTo's positions are measured against its start.
    private ReadOnlySequence<byte> _buffer;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var pending = inner.ReadAsync(cancellationToken);
        if (!pending.IsCompletedSuccessfully)
            return AwaitReadAsync(pending);
        var result = pending.Result;
        _buffer = result.Buffer;
        return new ValueTask<ReadResult>(result);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
            return false;
        _buffer = result.Buffer;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var consumedBytes = _buffer.GetOffset(consumed) - _buffer.GetOffset(_buffer.Start);
        var examinedBytes = _buffer.GetOffset(examined) - _buffer.GetOffset(_buffer.Start);
        inner.AdvanceTo(consumed, examined);
        _buffer = default;
        stream.OnRead(consumedBytes, examinedBytes);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        stream.OnInputCompleted();
        inner.Complete(exception);
    }

    // Pooled: a read that has to wait allocates nothing in steady state.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitReadAsync(ValueTask<ReadResult> pending)
    {
        var result = await pending.ConfigureAwait(false);
        _buffer = result.Buffer;
        return result;
    }
}
