using System.Buffers;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// A whole <see cref="YamuxSession"/> fed the input as the byte stream of its remote peer, over
/// <see cref="PipeFactory.CreateConnectedPair"/>, then the peer's end of stream. The first input byte picks the
/// session's side (initiator or responder), whether the application echoes what its accepted streams receive (which
/// makes the session send data, spend send windows and finish streams), and the write segments (1–64 bytes). Limits
/// are small so that refusals (stream limit, accept backlog, ping flood) are reached.
/// <para>
/// Checks: the session ends — within <see cref="RemotePeer.Deadline"/> — cleanly or with a
/// <see cref="YamuxException"/> that is a protocol violation, the peer's GoAway or the connection ending mid-frame
/// (<see cref="YamuxError.ConnectionError"/> would be an exception escaping the read or write loop: a decoder bug);
/// the application's stream reads and writes fail with nothing but <see cref="YamuxException"/>; what the session
/// sent is well-formed yamux ending with exactly one GoAway — ProtocolError after a violation, Normal after a clean
/// end — or, when the peer's GoAway or the connection ended it, none.
/// </para>
/// </summary>
internal sealed class YamuxSessionTarget : IFuzzTarget
{
    // No timers of the session's own: one that waits once its input has ended is a hang to report.
    private static readonly YamuxOptions s_options = new()
    {
        KeepAliveInterval = Timeout.InfiniteTimeSpan,
        MaxInboundStreams = 4,
        AcceptBacklog = 2,
        MaxPendingPings = 8,
        MaxDataFrameSize = 64,
        StreamSendBufferSize = 256,
        CloseTimeout = Timeout.InfiniteTimeSpan,
    };

    public string Name => "yamux-session";

    public IEnumerable<byte[]> Seeds()
    {
        // The session as responder with an echoing application: the peer opens stream 1, sends, half-closes, pings
        // and says goodbye.
        yield return
        [
            0x02 | 6 << 2,
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0),
            .. Frame(YamuxFrameType.Data, YamuxFlags.None, 1, "hello"u8),
            .. Frame(YamuxFrameType.Data, YamuxFlags.Fin, 1, " yamux"u8),
            .. Frame(YamuxFrameType.Ping, YamuxFlags.Syn, 0, 7),
            .. Frame(YamuxFrameType.GoAway, YamuxFlags.None, 0, 0),
        ];
        // More streams than the limits take, one reset, window updates and a SYN with data in the same frame.
        yield return
        [
            0x02 | 11 << 2,
            .. Frame(YamuxFrameType.Data, YamuxFlags.Syn, 1, "a"u8),
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 3, 1024),
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 5, 0),
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 7, 0),
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 9, 0),
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, 3, 0),
            .. Frame(YamuxFrameType.Data, YamuxFlags.Fin, 5, new byte[100]),
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.None, 1, 65536),
        ];
        // The session as initiator: the peer opens even streams, answers a ping it never got, and leaves mid-frame.
        yield return
        [
            0x01 | 63 << 2,
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 2, 0),
            .. Frame(YamuxFrameType.Ping, YamuxFlags.Ack, 0, 1),
            .. Frame(YamuxFrameType.Data, YamuxFlags.None, 2, "xyz"u8),
            .. YamuxHeaderTarget.Header(YamuxFrameType.Data, YamuxFlags.None, 2, 10), 1, 2,
        ];
        // A protocol violation after a valid stream: data on stream 0.
        yield return
        [
            0x00,
            .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0),
            .. Frame(YamuxFrameType.Data, YamuxFlags.None, 0, "!"u8),
        ];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var isInitiator = (input[0] & 1) != 0;
        var echo = (input[0] & 2) != 0;
        var segmentLength = (input[0] >> 2) + 1;
        var bytes = input[1..].ToArray();
        RemotePeer.Run(() => ExchangeAsync(bytes, isInitiator, echo, segmentLength), "the yamux session");
    }

    private static async Task ExchangeAsync(byte[] bytes, bool isInitiator, bool echo, int segmentLength)
    {
        var (local, remote) = PipeFactory.CreateConnectedPair();
        var session = YamuxSession.Start(local, isInitiator, s_options);
        var receiving = RemotePeer.ReceiveAsync(remote.Input);
        var serving = ServeAsync(session, echo);
        await RemotePeer.SendAsync(remote.Output, bytes, segmentLength);

        YamuxException? ended = null;
        try
        {
            await session.Completion;
        }
        catch (YamuxException e)
        {
            ended = e;
        }
        await session.DisposeAsync();
        await serving;
        var (sent, sendError) = await receiving;

        ThrowIf(ended is not null && !ended.IsProtocolViolation && ended.Error is not (YamuxError.ConnectionClosed or YamuxError.RemoteGoAway),
            $"the session ended with {ended?.Error}, which no peer input should cause: {ended}");
        ThrowIf(sendError is not null, $"the session's output failed: {sendError}");
        YamuxGoAwayCode? expectedGoAway = ended switch
        {
            null => YamuxGoAwayCode.Normal,
            { IsProtocolViolation: true } => YamuxGoAwayCode.ProtocolError,
            _ => null,
        };
        CheckSent(sent, isInitiator, expectedGoAway);
    }

    /// <summary>The application: accepts every stream, reads it to its end (echoing it back if asked), then closes it.</summary>
    private static async Task ServeAsync(YamuxSession session, bool echo)
    {
        var streams = new List<Task>();
        while (await session.AcceptStreamAsync() is { } stream)
            streams.Add(ServeStreamAsync(stream, echo));
        await Task.WhenAll(streams);
    }

    private static async Task ServeStreamAsync(YamuxStream stream, bool echo)
    {
        try
        {
            var echoing = echo;
            while (true)
            {
                var result = await stream.Input.ReadAsync();
                if (echoing)
                {
                    foreach (var segment in result.Buffer)
                        stream.Output.Write(segment.Span);
                }
                var completed = result.IsCompleted;
                stream.Input.AdvanceTo(result.Buffer.End);
                if (echoing && (await stream.Output.FlushAsync()).IsCompleted)
                    echoing = false;
                if (completed)
                    break;
            }
        }
        catch (YamuxException)
        {
            // Reset by the peer, or the session ended under the stream: what a peer may do to us.
        }
        await stream.Input.CompleteAsync();
        await stream.Output.CompleteAsync();
    }

    /// <summary>Parses what the session sent: whole frames, the stream ids of its side, at most one GoAway and nothing after it.</summary>
    private static void CheckSent(ReadOnlySpan<byte> sent, bool isInitiator, YamuxGoAwayCode? expectedGoAway)
    {
        var localParity = isInitiator ? 1u : 0u;
        YamuxGoAwayCode? goAway = null;
        while (!sent.IsEmpty)
        {
            ThrowIf(goAway is not null, "the session sent frames after its GoAway");
            var status = YamuxHeader.TryRead(sent, out var header, out var error);
            ThrowIf(status != OperationStatus.Done, $"the session sent an unreadable frame header ({status}, {error})");
            sent = sent[YamuxHeader.Size..];
            switch (header.Type)
            {
                case YamuxFrameType.Data:
                    ThrowIf(header.Length > s_options.MaxDataFrameSize || header.Length > sent.Length,
                        $"the session sent a data frame of {header.Length} bytes");
                    sent = sent[(int)header.Length..];
                    goto case YamuxFrameType.WindowUpdate;
                case YamuxFrameType.WindowUpdate:
                    ThrowIf(header.StreamId == 0, $"the session sent {header}");
                    ThrowIf((header.Flags & YamuxFlags.Syn) != 0 && (header.StreamId & 1) != localParity,
                        $"the session opened stream {header.StreamId}, of the peer's parity");
                    break;
                case YamuxFrameType.Ping:
                    ThrowIf(header.StreamId != 0 || header.Flags is not (YamuxFlags.Syn or YamuxFlags.Ack), $"the session sent {header}");
                    break;
                case YamuxFrameType.GoAway:
                    ThrowIf(header.StreamId != 0, $"the session sent {header}");
                    goAway = (YamuxGoAwayCode)header.Length;
                    break;
            }
        }
        ThrowIf(goAway != expectedGoAway,
            $"the session's GoAway was {goAway?.ToString() ?? "none"}; its end calls for {expectedGoAway?.ToString() ?? "none"}");
    }

    private static byte[] Frame(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length) =>
        YamuxHeaderTarget.Header(type, flags, streamId, length);

    private static byte[] Frame(YamuxFrameType type, YamuxFlags flags, uint streamId, ReadOnlySpan<byte> body) =>
        [.. YamuxHeaderTarget.Header(type, flags, streamId, (uint)body.Length), .. body];
}
