using System.Buffers;
using System.IO.Pipelines;

namespace Sequencer.Net.Tests.Transport;

/// <summary>Raw byte access to pipes for tests that play one side of a protocol by hand.</summary>
internal static class PipeTestExtensions
{
    /// <summary>Failure guard for waits on events (never a measurement): a hang fails the test instead of the run.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    public static async Task WriteAndFlushAsync(this PipeWriter writer, byte[] bytes)
    {
        await writer.WriteAsync(bytes).AsTask().WaitAsync(Guard);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (waiting for as many reads as that takes).</summary>
    public static async Task<byte[]> ReadExactlyAsync(this PipeReader reader, int count)
    {
        while (true)
        {
            var result = await reader.ReadAsync().AsTask().WaitAsync(Guard);
            if (result.Buffer.Length >= count)
            {
                var bytes = result.Buffer.Slice(0, count).ToArray();
                reader.AdvanceTo(result.Buffer.GetPosition(count));
                return bytes;
            }
            if (result.IsCompleted)
                throw new EndOfStreamException($"wanted {count} bytes, the pipe completed after {result.Buffer.Length}");
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Reads until the writer completes and returns everything.</summary>
    public static async Task<byte[]> ReadToEndAsync(this PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync().AsTask().WaitAsync(Guard);
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Whatever is readable right now, without waiting.</summary>
    public static byte[] TakeAvailable(this PipeReader reader)
    {
        if (!reader.TryRead(out var result))
            return [];
        var bytes = result.Buffer.ToArray();
        reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }
}
