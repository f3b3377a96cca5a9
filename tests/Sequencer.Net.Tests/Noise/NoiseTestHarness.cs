using System.Buffers;
using System.IO.Pipelines;
using Sequencer.Core.Identity;
using Sequencer.Net.Noise;
using Sequencer.Net.Tests.Transport;
using Sequencer.Net.Transport;

namespace Sequencer.Net.Tests.Noise;

/// <summary>Runs both sides of a Noise handshake over in-memory connections.</summary>
internal static class NoiseTestHarness
{
    public static async Task<(NoiseSecureChannel Client, NoiseSecureChannel Server)> ConnectAsync(
        NoiseSecurity client, NoiseSecurity server, IDuplexPipe clientConnection, IDuplexPipe serverConnection,
        PeerId? expectedServer = null)
    {
        var serving = server.SecureInboundAsync(serverConnection);
        var dialing = client.SecureOutboundAsync(clientConnection, expectedServer);
        var clientChannel = await dialing.WaitAsync(PipeTestExtensions.Guard);
        var serverChannel = await serving.WaitAsync(PipeTestExtensions.Guard);
        return (clientChannel, serverChannel);
    }

    public static Task<(NoiseSecureChannel Client, NoiseSecureChannel Server)> ConnectAsync(
        NoiseSecurity client, NoiseSecurity server, PeerId? expectedServer = null)
    {
        var (left, right) = PipeFactory.CreateConnectedPair();
        return ConnectAsync(client, server, left, right, expectedServer);
    }

    /// <summary>
    /// Two connected endpoints with a relay in between that passes each direction on in pieces of random size (1 to
    /// <paramref name="maxPiece"/> bytes, each flushed on its own) and applies <paramref name="tamper"/> to every byte
    /// (offset within its direction, direction: true = left to right).
    /// </summary>
    public static (IDuplexPipe Left, IDuplexPipe Right, Task Relaying) CreateRelayedPair(int seed, int maxPiece,
        Func<long, bool, byte, byte>? tamper = null)
    {
        var (left, leftRelay) = PipeFactory.CreateConnectedPair();
        var (rightRelay, right) = PipeFactory.CreateConnectedPair();
        var relaying = Task.WhenAll(
            RelayAsync(leftRelay.Input, rightRelay.Output, new Random(seed), maxPiece, tamper, leftToRight: true),
            RelayAsync(rightRelay.Input, leftRelay.Output, new Random(~seed), maxPiece, tamper, leftToRight: false));
        return (left, right, relaying);
    }

    private static async Task RelayAsync(PipeReader from, PipeWriter to, Random random, int maxPiece,
        Func<long, bool, byte, byte>? tamper, bool leftToRight)
    {
        long offset = 0;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await from.ReadAsync();
                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    var piece = (int)Math.Min(buffer.Length, random.Next(1, maxPiece + 1));
                    var bytes = buffer.Slice(0, piece).ToArray();
                    if (tamper is not null)
                    {
                        for (var i = 0; i < bytes.Length; i++)
                            bytes[i] = tamper(offset + i, leftToRight, bytes[i]);
                    }
                    offset += piece;
                    buffer = buffer.Slice(piece);
                    var flush = await to.WriteAsync(bytes);
                    if (flush.IsCompleted)
                    {
                        from.AdvanceTo(buffer.Start);
                        return;
                    }
                }
                from.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                    break;
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            await to.CompleteAsync(error);
            await from.CompleteAsync();
        }
    }
}
