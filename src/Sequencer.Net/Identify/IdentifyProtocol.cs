using System.Buffers;
using System.IO.Pipelines;
using System.Reflection;
using Sequencer.Core.Formats;

namespace Sequencer.Net.Identify;

/// <summary>
/// <c>/ipfs/id/1.0.0</c>: on a stream the requester opened, the responder sends one message — uvarint length ‖
/// <see cref="IdentifyMessage"/> protobuf — and closes. js-libp2p identifies every new connection this way, and only
/// opens its GossipSub stream once the answer lists a meshsub protocol, so every connection must answer it.
/// </summary>
public static class IdentifyProtocol
{
    public const string ProtocolId = "/ipfs/id/1.0.0";

    /// <summary>The protocol family libp2p nodes announce.</summary>
    public const string ProtocolVersion = "ipfs/0.1.0";

    public const int DefaultMaxMessageSize = 8 * 1024;

    /// <summary><c>jmzk-sequencer/&lt;version&gt;</c>, the version being the build's (without source-revision suffix).</summary>
    public static string AgentVersion { get; } = "jmzk-sequencer/" + GetVersion();

    /// <summary>
    /// Responder: sends <paramref name="message"/>, closes the sending side, and waits (at most the timeout) for the
    /// requester to close its side before releasing the stream — a reset sent before the requester has read would make
    /// some implementations drop the answer.
    /// </summary>
    /// <exception cref="ArgumentException">Our message is larger than the maximum the peer accepts.</exception>
    public static async Task RespondAsync(IDuplexPipe stream, IdentifyMessage message, IdentifyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(message);
        options ??= IdentifyOptions.Default;
        options.Validate();
        var size = message.GetSize();
        if (size > options.MaxMessageSize)
            throw new ArgumentException($"the identify message is {size} bytes; peers accept at most {options.MaxMessageSize}", nameof(message));

        var span = stream.Output.GetSpan(UnsignedVarint.MaxLength + size);
        var prefix = UnsignedVarint.Write((ulong)size, span);
        message.Write(span[prefix..]);
        stream.Output.Advance(prefix + size);
        await stream.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stream.Output.CompleteAsync().ConfigureAwait(false);

        using var timer = CreateTimer(options);
        using var deadline = timer is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            while (true)
            {
                var result = await stream.Input.ReadAsync(deadline?.Token ?? cancellationToken).ConfigureAwait(false);
                stream.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                    break;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The requester kept its side open past the timeout: release the stream anyway.
        }
        await stream.Input.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Requester: reads the peer's answer from a stream opened for <see cref="ProtocolId"/>, then closes the stream.
    /// </summary>
    /// <exception cref="IdentifyException">The answer is missing, late, larger than the maximum, or malformed.</exception>
    public static async Task<IdentifyMessage> RequestAsync(IDuplexPipe stream, IdentifyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= IdentifyOptions.Default;
        options.Validate();
        using var timer = CreateTimer(options);
        using var deadline = timer is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await ReadMessageAsync(stream.Input, options.MaxMessageSize, deadline?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IdentifyException(IdentifyError.Timeout, $"no identify answer within {options.Timeout}", e);
        }
        finally
        {
            await stream.Output.CompleteAsync().ConfigureAwait(false);
            await stream.Input.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads one length-prefixed identify message from <paramref name="input"/> (leaving what follows it).</summary>
    public static async Task<IdentifyMessage> ReadMessageAsync(PipeReader input, int maxMessageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
                throw new OperationCanceledException("reading the identify answer was cancelled");
            var buffer = result.Buffer;
            var status = TryTakeMessage(ref buffer, maxMessageSize, out var message);
            if (status == IdentifyError.None && message is not null)
            {
                input.AdvanceTo(buffer.Start);
                return message;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (status != IdentifyError.None)
                throw new IdentifyException(status, Describe(status, buffer, maxMessageSize));
            if (result.IsCompleted)
            {
                throw new IdentifyException(IdentifyError.StreamClosed,
                    $"the stream ended after {buffer.Length} bytes, before a complete identify message");
            }
        }
    }

    /// <summary>
    /// One message from the start of <paramref name="buffer"/>: None with a message (buffer advanced past it), None
    /// without one (needs more data), or the error.
    /// </summary>
    private static IdentifyError TryTakeMessage(ref ReadOnlySequence<byte> buffer, int maxMessageSize, out IdentifyMessage? message)
    {
        message = null;
        var reader = new SequenceReader<byte>(buffer);
        var prefix = UnsignedVarint.TryRead(ref reader, out var length);
        if (prefix == OperationStatus.InvalidData)
            return IdentifyError.InvalidLengthPrefix;
        if (prefix == OperationStatus.NeedMoreData)
            return IdentifyError.None;
        if (length > (ulong)maxMessageSize)
            return IdentifyError.MessageTooLarge;
        if (reader.Remaining < (long)length)
            return IdentifyError.None;
        var body = buffer.Slice(reader.Position, (long)length);
        var bytes = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            body.CopyTo(bytes);
            var error = IdentifyMessage.TryDecode(bytes.AsSpan(0, (int)length), out message, out var failure);
            if (error != IdentifyError.None)
                throw new IdentifyException(error, $"the {length}-byte identify message is refused: {failure}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
        buffer = buffer.Slice(body.End);
        return IdentifyError.None;
    }

    private static string Describe(IdentifyError error, in ReadOnlySequence<byte> buffer, int maxMessageSize)
    {
        if (error == IdentifyError.MessageTooLarge)
        {
            var reader = new SequenceReader<byte>(buffer);
            UnsignedVarint.TryRead(ref reader, out var length);
            return $"the identify message announces {length} bytes; at most {maxMessageSize} are accepted";
        }
        return "the identify message's length prefix is not a minimal unsigned varint";
    }

    private static CancellationTokenSource? CreateTimer(IdentifyOptions options) =>
        options.Timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(options.Timeout, options.TimeProvider);

    private static string GetVersion()
    {
        var version = typeof(IdentifyProtocol).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(version))
            return "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
