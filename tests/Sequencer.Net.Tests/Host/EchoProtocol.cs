using System.IO.Pipelines;
using Sequencer.Net.Host;
using Sequencer.Net.Tests.Transport;

namespace Sequencer.Net.Tests.Host;

/// <summary>A test protocol: the handler echoes everything until the opener half-closes.</summary>
internal static class EchoProtocol
{
    public const string Id = "/test/echo/1.0.0";

    public static async Task HandleAsync(ProtocolStream stream, CancellationToken cancellationToken)
    {
        await stream.Input.CopyToAsync(stream.Output, cancellationToken);
        await stream.Output.CompleteAsync();
    }

    /// <summary>Sends <paramref name="bytes"/> on a fresh echo stream and returns what came back.</summary>
    public static async Task<byte[]> RoundTripAsync(ProtocolStream stream, byte[] bytes)
    {
        await stream.Output.WriteAsync(bytes);
        await stream.Output.CompleteAsync();
        var echoed = await stream.Input.ReadToEndAsync();
        await stream.Input.CompleteAsync();
        return echoed;
    }
}
