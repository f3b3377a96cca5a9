using System.Buffers;
using System.IO.Pipelines;
using Sequencer.Core.Crypto;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Ping;

/// <summary>
/// <c>/ipfs/ping/1.0.0</c> (libp2p ping spec): the dialler sends 32 random bytes, the listener echoes them, the dialler
/// measures the round trip; the dialler may repeat on the same stream. js-libp2p pings every connection every 10 s
/// and aborts it when no answer comes within about 5 s, so every connection must answer.
/// </summary>
public static class PingProtocol
{
    public const string ProtocolId = "/ipfs/ping/1.0.0";

    public const int PayloadSize = 32;

    /// <summary>
    /// Listener: echoes every 32-byte payload (several at once when they arrive together) until the dialler closes
    /// its side, then closes ours; returns the number echoed. A trailing partial payload is dropped. A reset of the
    /// stream by the dialler — how js-libp2p ends each ping — is a normal end. Echoing waits on the stream's flow
    /// control, so a dialler that does not read its answers stops being read.
    /// </summary>
    public static async Task<long> RespondAsync(IDuplexPipe stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var echoed = 0L;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await stream.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var payloads = buffer.Length / PayloadSize;
                if (payloads > 0)
                {
                    var echo = buffer.Slice(0, payloads * PayloadSize);
                    foreach (var segment in echo)
                        stream.Output.Write(segment.Span);
                    echoed += payloads;
                    stream.Input.AdvanceTo(echo.End, buffer.End);
                    var flush = await stream.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flush.IsCompleted)
                        break;
                }
                else
                {
                    stream.Input.AdvanceTo(buffer.Start, buffer.End);
                }
                if (result.IsCompleted || result.IsCanceled)
                    break;
            }
        }
        catch (YamuxException e) when (e.Error == YamuxError.StreamReset)
        {
            // The dialler is done with the stream.
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            await stream.Output.CompleteAsync(error).ConfigureAwait(false);
            await stream.Input.CompleteAsync().ConfigureAwait(false);
        }
        return echoed;
    }

    /// <summary>
    /// Dialler: one round on an open ping stream — sends 32 random bytes and waits for them to come back. Returns the
    /// round-trip time. Call again on the same stream to ping again; complete the stream's output when done.
    /// </summary>
    /// <exception cref="PingException">The answer differs, the stream closed, or no answer came within <paramref name="timeout"/>.</exception>
    public static async Task<TimeSpan> PingAsync(IDuplexPipe stream, TimeSpan timeout, TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        timeProvider ??= TimeProvider.System;
        var payload = new byte[PayloadSize];
        Sodium.FillRandom(payload);
        using var timer = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, timeProvider);
        using var deadline = timer is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var token = deadline?.Token ?? cancellationToken;
        try
        {
            var started = timeProvider.GetTimestamp();
            await stream.Output.WriteAsync(payload, token).ConfigureAwait(false);
            while (true)
            {
                var result = await stream.Input.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (buffer.Length >= PayloadSize)
                {
                    var answer = buffer.Slice(0, PayloadSize);
                    var matches = Matches(answer, payload);
                    stream.Input.AdvanceTo(answer.End);
                    if (!matches)
                        throw new PingException(PingError.Mismatch, "the peer answered the ping with different bytes");
                    return timeProvider.GetElapsedTime(started);
                }
                stream.Input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    throw new PingException(PingError.StreamClosed,
                        $"the ping stream ended after {buffer.Length} of the {PayloadSize} answer bytes");
                }
            }
        }
        catch (OperationCanceledException e) when (timer is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw new PingException(PingError.Timeout, $"no ping answer within {timeout}", e);
        }
    }

    private static bool Matches(in ReadOnlySequence<byte> answer, ReadOnlySpan<byte> payload)
    {
        Span<byte> received = stackalloc byte[PayloadSize];
        answer.CopyTo(received);
        return received.SequenceEqual(payload);
    }
}
