using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Unicode;
using Sequencer.Core.Formats;

namespace Sequencer.Net.Multistream;

/// <summary>
/// multistream-select 1.0 (libp2p connections spec): picks the protocol spoken next on a connection or stream. Both
/// sides send <c>/multistream/1.0.0</c>; the dialer proposes protocol ids one at a time, the listener echoes the one it
/// accepts or answers <c>na</c>. Negotiation reads exactly its own messages: bytes the peer sent after them (a
/// pipelined first frame of the selected protocol) stay in the pipe for that protocol.
/// </summary>
public static class MultistreamSelect
{
    public const string ProtocolId = "/multistream/1.0.0";

    private const string NotAvailable = "na";
    private const string List = "ls";

    /// <summary>
    /// Dialer side: proposes <paramref name="protocols"/> in order and returns the one the listener accepted. The
    /// header and the first proposal go out in one write, without waiting for the listener's header (js-libp2p does
    /// the same, and its listener waits for the dialer's header before sending its own).
    /// </summary>
    public static async ValueTask<string> SelectAsync(IDuplexPipe channel, IReadOnlyList<string> protocols,
        MultistreamOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(protocols);
        if (protocols.Count == 0)
            throw new ArgumentException("at least one protocol must be proposed", nameof(protocols));
        options ??= MultistreamOptions.Default;
        foreach (var protocol in protocols)
            ValidateProtocolId(protocol, options);

        using var negotiation = new Negotiation(channel, options, cancellationToken);
        try
        {
            negotiation.Write(ProtocolId);
            negotiation.Write(protocols[0]);
            await negotiation.ExpectHeaderAsync().ConfigureAwait(false);
            for (var i = 0; i < protocols.Count; i++)
            {
                if (i > 0)
                    negotiation.Write(protocols[i]);
                var answer = await negotiation.ReadAsync().ConfigureAwait(false);
                if (negotiation.LineEquals(answer, protocols[i]))
                    return protocols[i];
                if (!negotiation.LineEquals(answer, NotAvailable))
                    throw new MultistreamException(MultistreamError.UnexpectedResponse,
                        $"proposed '{protocols[i]}', the listener answered '{negotiation.LineToString(answer)}'");
            }
            throw new MultistreamException(MultistreamError.NoProtocolAgreed,
                $"the listener supports none of {string.Join(", ", protocols)}");
        }
        catch (OperationCanceledException) when (negotiation.TimedOut)
        {
            throw negotiation.TimeoutException();
        }
    }

    /// <summary>
    /// Listener side: answers the dialer's proposals until one is in <paramref name="protocols"/> (which it echoes and
    /// returns) and answers <c>ls</c> with <paramref name="protocols"/>.
    /// </summary>
    public static async ValueTask<string> ListenAsync(IDuplexPipe channel, IReadOnlyList<string> protocols,
        MultistreamOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(protocols);
        options ??= MultistreamOptions.Default;
        foreach (var protocol in protocols)
            ValidateProtocolId(protocol, options);

        using var negotiation = new Negotiation(channel, options, cancellationToken);
        try
        {
            // Wait for the dialer's header before sending ours: nothing goes to a peer that does not speak multistream.
            await negotiation.ExpectHeaderAsync().ConfigureAwait(false);
            negotiation.Write(ProtocolId);
            var refused = 0;
            while (true)
            {
                var proposal = await negotiation.ReadAsync().ConfigureAwait(false);
                if (negotiation.LineEquals(proposal, List))
                {
                    negotiation.WriteList(protocols);
                    continue;
                }
                var match = negotiation.FindMatch(proposal, protocols);
                if (match is not null)
                {
                    negotiation.Write(match);
                    await negotiation.FlushAsync().ConfigureAwait(false);
                    return match;
                }
                negotiation.Write(NotAvailable);
                if (++refused >= options.MaxProposals)
                {
                    await negotiation.FlushAsync().ConfigureAwait(false);
                    throw new MultistreamException(MultistreamError.TooManyProposals,
                        $"the dialer made {refused} proposals this node does not support");
                }
            }
        }
        catch (OperationCanceledException) when (negotiation.TimedOut)
        {
            throw negotiation.TimeoutException();
        }
    }

    private static void ValidateProtocolId(string protocol, MultistreamOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        if (protocol.Contains('\n') || Encoding.UTF8.GetByteCount(protocol) + 1 > options.MaxMessageLength)
            throw new ArgumentException($"'{protocol}' cannot be a protocol id: it contains a newline or exceeds {options.MaxMessageLength - 1} bytes", nameof(protocol));
    }

    /// <summary>The state of one negotiation: the channel, the deadline, and the buffer holding the last line read.</summary>
    private sealed class Negotiation : IDisposable
    {
        private readonly PipeReader _input;
        private readonly PipeWriter _output;
        private readonly MultistreamOptions _options;
        private readonly CancellationToken _callerToken;
        private readonly CancellationTokenSource? _deadline;
        private readonly CancellationTokenSource? _linked;
        private readonly byte[] _line;
        private bool _unflushed;

        public Negotiation(IDuplexPipe channel, MultistreamOptions options, CancellationToken cancellationToken)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessageLength, 2, nameof(options));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxMessageLength, 64 * 1024, nameof(options));
            _input = channel.Input;
            _output = channel.Output;
            _options = options;
            _callerToken = cancellationToken;
            if (options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                _deadline = new CancellationTokenSource(options.Timeout, options.TimeProvider);
                _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
            }
            _line = ArrayPool<byte>.Shared.Rent(options.MaxMessageLength);
        }

        public bool TimedOut => _deadline is { IsCancellationRequested: true } && !_callerToken.IsCancellationRequested;

        private CancellationToken Token => _linked?.Token ?? _callerToken;

        public MultistreamException TimeoutException() => new(MultistreamError.Timeout,
            $"multistream-select did not finish within {_options.Timeout}");

        public void Write(string message)
        {
            MultistreamMessage.Write(_output, message);
            _unflushed = true;
        }

        /// <summary>The <c>ls</c> answer: one message whose body is the supported ids, each as a message itself.</summary>
        public void WriteList(IReadOnlyList<string> protocols)
        {
            var bodyLength = 1;
            foreach (var protocol in protocols)
                bodyLength += MultistreamMessage.GetEncodedLength(protocol);
            UnsignedVarint.Write((ulong)bodyLength, _output);
            foreach (var protocol in protocols)
                MultistreamMessage.Write(_output, protocol);
            _output.GetSpan(1)[0] = (byte)'\n';
            _output.Advance(1);
            _unflushed = true;
        }

        public async ValueTask FlushAsync()
        {
            _unflushed = false;
            var result = await _output.FlushAsync(Token).ConfigureAwait(false);
            if (result.IsCompleted)
                throw new MultistreamException(MultistreamError.ConnectionClosed, "the peer stopped reading during multistream-select");
        }

        public async ValueTask ExpectHeaderAsync()
        {
            var header = await ReadAsync().ConfigureAwait(false);
            if (!LineEquals(header, ProtocolId))
                throw new MultistreamException(MultistreamError.InvalidHeader,
                    $"expected '{ProtocolId}', the peer sent '{LineToString(header)}'");
        }

        /// <summary>Reads the next message into the line buffer and returns its length (newline excluded).</summary>
        public async ValueTask<int> ReadAsync()
        {
            while (true)
            {
                // What we wrote must reach the peer before we wait on its answer; when the answer is already here
                // (a pipelined dialer), the writes are batched with the next flush instead.
                if (!_input.TryRead(out var result))
                {
                    if (_unflushed)
                        await FlushAsync().ConfigureAwait(false);
                    result = await _input.ReadAsync(Token).ConfigureAwait(false);
                }
                if (result.IsCanceled)
                    throw new OperationCanceledException("a pending read was cancelled during multistream-select");

                var buffer = result.Buffer;
                var status = MultistreamMessage.TryRead(buffer, _options.MaxMessageLength, out var line, out var end, out var error);
                if (status == OperationStatus.Done)
                {
                    line.CopyTo(_line);
                    var length = (int)line.Length;
                    _input.AdvanceTo(end);
                    if (!Utf8.IsValid(_line.AsSpan(0, length)))
                        throw new MultistreamException(MultistreamError.MalformedMessage, $"a {length}-byte message is not UTF-8");
                    return length;
                }
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (status == OperationStatus.InvalidData)
                    throw new MultistreamException(error, $"unreadable multistream-select message: {error}");
                if (result.IsCompleted)
                    throw new MultistreamException(MultistreamError.ConnectionClosed,
                        $"the peer closed the channel during multistream-select ({buffer.Length} bytes of a message pending)");
            }
        }

        public bool LineEquals(int length, string expected)
        {
            var line = _line.AsSpan(0, length);
            return Encoding.UTF8.GetByteCount(expected) == length && Utf8EqualsString(line, expected);
        }

        public string? FindMatch(int length, IReadOnlyList<string> protocols)
        {
            foreach (var protocol in protocols)
            {
                if (LineEquals(length, protocol))
                    return protocol;
            }
            return null;
        }

        public string LineToString(int length) => Encoding.UTF8.GetString(_line, 0, Math.Min(length, 100));

        public void Dispose()
        {
            _linked?.Dispose();
            _deadline?.Dispose();
            ArrayPool<byte>.Shared.Return(_line);
        }

        private static bool Utf8EqualsString(ReadOnlySpan<byte> utf8, string text)
        {
            Span<byte> encoded = utf8.Length <= 1024 ? stackalloc byte[utf8.Length] : new byte[utf8.Length];
            return Encoding.UTF8.TryGetBytes(text, encoded, out var written) && written == utf8.Length && encoded.SequenceEqual(utf8);
        }
    }
}
