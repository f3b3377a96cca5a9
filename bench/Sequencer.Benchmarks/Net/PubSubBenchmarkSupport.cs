using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Benchmarks.Net;

/// <summary>A peer's outbound queue reduced to its copy into a buffer (none for the peer that only sends).</summary>
internal sealed class PubSubSinkLink(byte[]? sink) : IPubSubPeerLink
{
    public bool TrySend(ReadOnlySpan<byte> frame)
    {
        if (sink is not null)
            frame.CopyTo(sink);
        return true;
    }

    public void Close(Exception reason) => throw new InvalidOperationException("benchmark peer closed", reason);
}

/// <summary>A clock that moves only when told, so the router's caches expire on the benchmark's schedule.</summary>
internal sealed class PubSubBenchmarkClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}

/// <summary>RPC bodies (frames without their length prefix), as the router's receive path takes them.</summary>
internal static class PubSubBenchmarkRpcs
{
    public static byte[] Body(RpcBuilder builder)
    {
        var frame = new byte[builder.FrameSize];
        var written = builder.WriteFrame(frame);
        return frame.AsSpan(written - builder.RpcSize, builder.RpcSize).ToArray();
    }
}
