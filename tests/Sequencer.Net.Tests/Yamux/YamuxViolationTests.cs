using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Tests.Yamux;

/// <summary>Every protocol violation ends the session with its typed error, after GoAway(ProtocolError).</summary>
public sealed class YamuxViolationTests
{
    private const uint Window = YamuxOptions.InitialStreamWindow;

    public static TheoryData<string, string, YamuxError> Violations => new()
    {
        { "bad version", "010000000000000000000000", YamuxError.InvalidVersion },
        { "unknown type", "000400000000000000000000", YamuxError.UnknownFrameType },
        { "data on stream 0", "000000000000000000000001ff", YamuxError.InvalidStreamId },
        { "window update on stream 0", "000100000000000000000010", YamuxError.InvalidStreamId },
        { "ping on a stream", "000200010000000300000000", YamuxError.InvalidStreamId },
        { "go away on a stream", "000300000000000100000000", YamuxError.InvalidStreamId },
        { "stream opened with the responder's parity", "000100010000000200000000", YamuxError.InvalidStreamId },
        { "frame for a stream never opened", "000000000000000700000001aa", YamuxError.InvalidStreamId },
        { "duplicate SYN", "000100010000000100000000" + "000100010000000100000000", YamuxError.DuplicateStream },
        { "data frame larger than any window", "000100010000000100000000" + $"00000000000000010{Window + 1:x7}", YamuxError.FrameTooLarge },
        { "ping without SYN or ACK", "000200000000000000000000", YamuxError.InvalidFlags },
        { "window overflow", "000100010000000100000000" + "00010000000000010fffffff" + "00010000000000010fffffff" + "0001000000000001ffffffff", YamuxError.SendWindowOverflow },
        { "data after FIN", "000100050000000100000000" + "000000000000000100000001aa", YamuxError.DataAfterFin },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task EndsTheSessionWithGoAwayAndATypedError(string name, string hex, YamuxError expected)
    {
        await using var peer = RawYamuxPeer.Start();
        await peer.SendAsync(Convert.FromHexString(hex));

        var error = await peer.CompletionErrorAsync();
        Assert.True(error is not null, name);
        Assert.Equal(expected, error.Error);
        Assert.True(error.IsProtocolViolation);
        Assert.Equal("000300000000000000000001", Convert.ToHexStringLower(await LastFrameAsync(peer)));
    }

    [Fact]
    public async Task DataBeyondTheReceiveWindowIsAViolation()
    {
        await using var peer = RawYamuxPeer.Start();
        await peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        await peer.SendDataAsync(1, new byte[Window - 10]);
        await peer.SendDataAsync(1, new byte[11]);
        Assert.Equal(YamuxError.ReceiveWindowExceeded, (await peer.CompletionErrorAsync())?.Error);
    }

    [Fact]
    public async Task PingFloodIsAViolation()
    {
        var (sessionSide, wire) = Net.Transport.PipeFactory.CreateConnectedPair(pauseWriterThreshold: 64);
        var session = YamuxSession.Start(sessionSide, isInitiator: false, new YamuxOptions { MaxPendingPings = 4, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        // The wire side never reads: the answers pile up until the limit ends the session.
        var pings = Enumerable.Range(1, 64).SelectMany(i => RawYamuxPeer.Frame(YamuxFrameType.Ping, YamuxFlags.Syn, 0, (uint)i)).ToArray();
        await wire.Output.WriteAndFlushAsync(pings);
        var error = await Assert.ThrowsAsync<YamuxException>(() => session.Completion.WaitAsync(PipeTestExtensions.Guard));
        Assert.Equal(YamuxError.TooManyPendingPings, error.Error);
        await wire.Input.CompleteAsync();
        await session.DisposeAsync();
    }

    [Fact]
    public async Task PeerGoAwayWithAnErrorEndsTheSessionWithoutAnswer()
    {
        await using var peer = RawYamuxPeer.Start();
        await peer.SendAsync(YamuxFrameType.GoAway, YamuxFlags.None, 0, (uint)YamuxGoAwayCode.InternalError);
        var error = await peer.CompletionErrorAsync();
        Assert.Equal((YamuxError.RemoteGoAway, YamuxGoAwayCode.InternalError), (error?.Error, error?.RemoteGoAwayCode));
        Assert.Empty(await peer.Wire.Input.ReadToEndAsync());
    }

    [Fact]
    public async Task ConnectionEndingMidFrameIsAnError()
    {
        await using var peer = RawYamuxPeer.Start();
        await peer.SendAsync(Convert.FromHexString("00010001000000"));
        await peer.Wire.Output.CompleteAsync();
        Assert.Equal(YamuxError.ConnectionClosed, (await peer.CompletionErrorAsync())?.Error);
    }

    [Property(MaxTest = 200)]
    public Property GarbageEndsInATypedErrorOrACleanClose() => Prop.ForAll(
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).ToArbitrary(),
        Gen.ArrayOf(Gen.Choose(1, 40)).ToArbitrary(),
        (garbage, splits) =>
        {
            // Biased toward plausible headers so the session gets past the version and type checks often.
            for (var i = 0; i + 1 < garbage.Length; i += 12)
            {
                garbage[i] = 0;
                garbage[i + 1] &= 3;
            }
            return RunGarbageAsync(garbage, splits).GetAwaiter().GetResult();
        });

    private static async Task<bool> RunGarbageAsync(byte[] garbage, int[] splits)
    {
        await using var peer = RawYamuxPeer.Start();
        var drained = peer.Wire.Input.ReadToEndAsync();
        var position = 0;
        foreach (var split in splits.Append(garbage.Length))
        {
            var take = Math.Min(split, garbage.Length - position);
            if (take <= 0)
                break;
            await peer.SendAsync(garbage[position..(position + take)]);
            position += take;
        }
        await peer.Wire.Output.CompleteAsync();
        try
        {
            await peer.Session.Completion.WaitAsync(PipeTestExtensions.Guard);
        }
        catch (YamuxException)
        {
            // A typed end is fine; any other exception type fails the property by escaping.
        }
        await drained;
        return true;
    }

    /// <summary>The session's frames up to the end of the connection; returns the last header.</summary>
    private static async Task<byte[]> LastFrameAsync(RawYamuxPeer peer)
    {
        var bytes = await peer.Wire.Input.ReadToEndAsync();
        Assert.True(bytes.Length >= YamuxHeader.Size);
        return bytes[^YamuxHeader.Size..];
    }
}
