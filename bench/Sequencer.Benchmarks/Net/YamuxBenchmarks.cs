using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Benchmarks.Net;

/// <summary>
/// Data frames relayed through a yamux session pair over an in-memory connection: the application writes
/// <see cref="FrameSize"/> bytes and flushes, the peer's application reads them, with the session's read and write
/// loops, flow control and window updates in between. Baseline: the same writes and reads through a bare pipe pair.
/// Reported per frame (OperationsPerInvoke); the target is 0 bytes allocated per frame.
/// </summary>
[MemoryDiagnoser]
public class YamuxBenchmarks
{
    private const int FramesPerInvoke = 4096;

    private byte[] _payload = [];
    private IDuplexPipe _bareWriter = null!;
    private IDuplexPipe _bareReader = null!;
    private YamuxSession _client = null!;
    private YamuxSession _server = null!;
    private YamuxStream _sending = null!;
    private YamuxStream _receiving = null!;

    [Params(1024, 16 * 1024)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[FrameSize];
        new Random(1).NextBytes(_payload);
        (_bareWriter, _bareReader) = PipeFactory.CreateConnectedPair();

        var (left, right) = PipeFactory.CreateConnectedPair();
        var options = new YamuxOptions { KeepAliveInterval = Timeout.InfiniteTimeSpan };
        _client = YamuxSession.Start(left, isInitiator: true, options);
        _server = YamuxSession.Start(right, isInitiator: false, options);
        _sending = _client.OpenStreamAsync().AsTask().GetAwaiter().GetResult();
        _receiving = _server.AcceptStreamAsync().AsTask().GetAwaiter().GetResult()!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerInvoke)]
    public Task BarePipe() => Task.WhenAll(WriteFramesAsync(_bareWriter.Output), ReadFramesAsync(_bareReader.Input));

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public Task YamuxStream() => Task.WhenAll(WriteFramesAsync(_sending.Output), ReadFramesAsync(_receiving.Input));

    private async Task WriteFramesAsync(PipeWriter output)
    {
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            _payload.CopyTo(output.GetMemory(FrameSize));
            output.Advance(FrameSize);
            await output.FlushAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadFramesAsync(PipeReader input)
    {
        var remaining = (long)FramesPerInvoke * FrameSize;
        while (remaining > 0)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            remaining -= result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
        }
    }
}
