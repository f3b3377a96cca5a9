using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Tests.Yamux;

/// <summary>
/// The far end of a <see cref="YamuxSession"/> played by hand: the test writes raw frames and reads the frames the
/// session sends, byte for byte.
/// </summary>
internal sealed class RawYamuxPeer : IAsyncDisposable
{
    private RawYamuxPeer(YamuxSession session, IDuplexPipe wire)
    {
        Session = session;
        Wire = wire;
    }

    public YamuxSession Session { get; }

    public IDuplexPipe Wire { get; }

    /// <summary>A session (responder unless <paramref name="sessionIsInitiator"/>) with keep-alive off unless the options say otherwise.</summary>
    public static RawYamuxPeer Start(bool sessionIsInitiator = false, YamuxOptions? options = null)
    {
        var (sessionSide, wire) = PipeFactory.CreateConnectedPair();
        options ??= new YamuxOptions { KeepAliveInterval = Timeout.InfiniteTimeSpan };
        return new RawYamuxPeer(YamuxSession.Start(sessionSide, sessionIsInitiator, options), wire);
    }

    public static byte[] Frame(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length, byte[]? payload = null)
    {
        var frame = new byte[YamuxHeader.Size + (payload?.Length ?? 0)];
        new YamuxHeader(type, flags, streamId, length).Write(frame);
        payload?.CopyTo(frame, YamuxHeader.Size);
        return frame;
    }

    public Task SendAsync(byte[] bytes) => Wire.Output.WriteAndFlushAsync(bytes);

    public Task SendAsync(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length, byte[]? payload = null)
        => SendAsync(Frame(type, flags, streamId, length, payload));

    public Task SendDataAsync(uint streamId, byte[] payload, YamuxFlags flags = YamuxFlags.None)
        => SendAsync(YamuxFrameType.Data, flags, streamId, (uint)payload.Length, payload);

    /// <summary>The next frame the session sent: its raw header bytes, decoded header and payload (data frames only).</summary>
    public async Task<(byte[] Raw, YamuxHeader Header, byte[] Payload)> ReceiveAsync()
    {
        var raw = await Wire.Input.ReadExactlyAsync(YamuxHeader.Size);
        var status = YamuxHeader.TryRead(raw, out var header, out var error);
        if (status != OperationStatus.Done)
            throw new InvalidDataException($"the session sent an unreadable header ({error}): {Convert.ToHexString(raw)}");
        var payload = header.Type == YamuxFrameType.Data ? await Wire.Input.ReadExactlyAsync((int)header.Length) : [];
        return (raw, header, payload);
    }

    public async Task<YamuxHeader> ReceiveHeaderAsync() => (await ReceiveAsync()).Header;

    /// <summary>Sends a ping and waits for its answer: once it is back, the session has processed everything sent before.</summary>
    public async Task SyncAsync(uint opaque = 0x5EC0)
    {
        await SendAsync(YamuxFrameType.Ping, YamuxFlags.Syn, 0, opaque);
        while (true)
        {
            var header = await ReceiveHeaderAsync();
            if (header is { Type: YamuxFrameType.Ping, Flags: YamuxFlags.Ack } && header.Length == opaque)
                return;
        }
    }

    /// <summary>Waits for the session to end and returns its error (null for a normal end).</summary>
    public async Task<YamuxException?> CompletionErrorAsync()
    {
        try
        {
            await Session.Completion.WaitAsync(PipeTestExtensions.Guard);
            return null;
        }
        catch (YamuxException e)
        {
            return e;
        }
    }

    public static uint ReadLength(byte[] raw) => BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(8));

    public async ValueTask DisposeAsync()
    {
        await Wire.Output.CompleteAsync();
        await Session.DisposeAsync();
    }
}
