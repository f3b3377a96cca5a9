using System.Buffers;
using System.IO.Pipelines;
using Sequencer.Core.Identity;
using Sequencer.Core.Wire;
using Sequencer.Net.Host;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Streams;

/// <summary>
/// The sequencer's direct streams (<c>/jmzk/sequencer/&lt;name&gt;/1.0.0</c>): the requester opens a stream, writes one
/// <see cref="WireFrame"/> and half-closes; the responder answers with one frame and closes. Every wait has a deadline,
/// both sizes are bounded (a length prefix above the bound is refused before its payload is awaited), and payloads
/// live in pooled buffers.
/// </summary>
internal sealed class RequestResponseService(RequestOptions options, TimeProvider time)
{
    public StreamHandler CreateStreamHandler(RequestHandler handler) => (stream, cancellationToken) => ServeAsync(handler, stream, cancellationToken);

    /// <summary>Requester side, on a stream already negotiated for the protocol (the caller's deadline is in <paramref name="cancellationToken"/>).</summary>
    public async Task<RequestResponse> ExchangeAsync(ProtocolStream stream, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var succeeded = false;
        try
        {
            WireFrame.WriteFrame(stream.Output, request.Span, options.MaxRequestSize);
            await stream.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await stream.Output.CompleteAsync().ConfigureAwait(false);
            var response = await ReadResponseAsync(stream, cancellationToken).ConfigureAwait(false);
            succeeded = true;
            return response;
        }
        catch (Exception e) when (e is YamuxException or IOException)
        {
            throw new RequestException(stream.Connection.IsClosed ? RequestError.Unreachable : RequestError.Refused, stream.RemotePeer, stream.Protocol,
                $"{stream.RemotePeer} did not answer {stream.Protocol}: {e.Message}", e);
        }
        finally
        {
            if (succeeded)
                await stream.CloseAsync().ConfigureAwait(false);
            else
                stream.Reset();
        }
    }

    private async Task<RequestResponse> ReadResponseAsync(ProtocolStream stream, CancellationToken cancellationToken)
    {
        var input = stream.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            switch (WireFrame.TryReadFrame(ref buffer, out var payload, options.MaxResponseSize))
            {
                case FrameReadStatus.Complete:
                    var length = (int)payload.Length;
                    var copy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                    payload.CopyTo(copy);
                    input.AdvanceTo(buffer.Start);
                    return new RequestResponse(stream.RemotePeer, stream.Protocol, copy, length);
                case FrameReadStatus.TooLarge:
                    input.AdvanceTo(buffer.Start);
                    throw Fail(stream, RequestError.ResponseTooLarge, $"the response announces more than {options.MaxResponseSize} bytes");
                case FrameReadStatus.MalformedLength:
                    input.AdvanceTo(buffer.Start);
                    throw Fail(stream, RequestError.MalformedResponse, "the response's length prefix is not a minimal unsigned varint");
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw buffer.IsEmpty
                    ? Fail(stream, RequestError.Refused, "the peer closed the stream without a response")
                    : Fail(stream, RequestError.MalformedResponse, $"the stream ended inside the response frame ({buffer.Length} bytes received)");
            }
        }
    }

    private async Task ServeAsync(RequestHandler handler, ProtocolStream stream, CancellationToken cancellationToken)
    {
        var request = await ReadRequestAsync(stream, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            stream.Reset();
            return;
        }
        try
        {
            handler(request);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            request.Refuse();
        }
        var answered = await request.WaitAsync(options.InboundTimeout, time, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!answered)
            {
                stream.Reset();
                return;
            }
            using var deadline = new CancellationTokenSource(options.InboundTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            await stream.Output.FlushAsync(linked.Token).ConfigureAwait(false);
            await stream.Output.CompleteAsync().ConfigureAwait(false);
            // Closing before the requester's FIN arrived would release the stream with RST; wait for it instead.
            await DrainAsync(stream.Input, linked.Token).ConfigureAwait(false);
            await stream.Input.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            request.Release();
        }
    }

    /// <summary>The request frame, or null when it is missing, too large, malformed or late (the stream is then reset).</summary>
    private async Task<InboundRequest?> ReadRequestAsync(ProtocolStream stream, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.InboundTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var input = stream.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var status = WireFrame.TryReadFrame(ref buffer, out var payload, options.MaxRequestSize);
                if (status == FrameReadStatus.Complete)
                {
                    var length = (int)payload.Length;
                    var copy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                    payload.CopyTo(copy);
                    input.AdvanceTo(buffer.Start);
                    return new InboundRequest(stream, copy, length, options.MaxResponseSize);
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (status != FrameReadStatus.NeedMoreData || result.IsCompleted)
                    return null;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or YamuxException or IOException)
        {
            return null;
        }
    }

    private static async Task DrainAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
                return;
        }
    }

    private static RequestException Fail(ProtocolStream stream, RequestError error, string detail) =>
        new(error, stream.RemotePeer, stream.Protocol, $"{stream.Protocol} request to {stream.RemotePeer}: {detail}");
}
