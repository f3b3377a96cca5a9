using System.IO.Pipelines;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Identity;
using Sequencer.Net.Noise;
using Sequencer.Net.Transport;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// The decrypting side of a <see cref="NoiseSecureChannel"/> after a real XX handshake (run once, with fixed keys),
/// fed a transport stream the input describes as a run of records, each a header byte and its bytes:
/// <c>00nnnnnn</c> a frame correctly encrypted with the peer's cipher carrying the next n input bytes,
/// <c>01nnnnnn</c> one carrying n × 256 bytes (a frame that spans many segments; a few make a batch of more than
/// 64 KiB; past 128 KiB in all, these frames are empty, so that no input costs more than a fraction of a millisecond),
/// <c>10nnnnnn</c> the next n input bytes raw (garbage, a bad length, a frame cut short by the end of the stream),
/// <c>11nnnnnn</c> an encrypted frame of the next n bytes with a tag byte flipped. The first input byte picks the
/// write segments (the whole stream at once, or 1–127 bytes, but never more than 64 writes: large frames cut into
/// bytes would cost milliseconds per input) and whether the ciphers start three nonces short of exhaustion.
/// <para>
/// Checks: within <see cref="RemotePeer.Deadline"/>, the application reads exactly the plaintext of the frames when
/// every record is a correct frame (and the channel completes cleanly); otherwise it reads a prefix of the plaintext
/// of the correct frames before the first bad record — never a forged or reordered byte — and the channel fails with
/// a <see cref="NoiseException"/> for a short frame, a bad tag, a cut frame or an exhausted nonce, which
/// <see cref="NoiseSecureChannel.Completion"/> and the connection's output end with too.
/// </para>
/// </summary>
internal sealed class NoiseChannelTarget : IFuzzTarget
{
    private const ulong NearlyExhausted = ulong.MaxValue - 3;
    private const int MaxGenerated = 128 * 1024;

    // No timeouts of the channel's own: one that waits once its input has ended is a hang to report.
    private static readonly NoiseOptions s_options = new()
    {
        HandshakeTimeout = Timeout.InfiniteTimeSpan,
        CloseTimeout = Timeout.InfiniteTimeSpan,
    };
    private static readonly Session s_session = Session.Create();

    public string Name => "noise-channel";

    public IEnumerable<byte[]> Seeds()
    {
        yield return [0x00, 0x05, .. "hello"u8, 0x00, 0x41, 0x03, .. "end"u8];
        yield return [0x02 << 1, 0x04, .. "data"u8, 0x82, 0x00, 0x05];
        yield return [0x01 | 0x10 << 1, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04];
        yield return [0x40 << 1, 0x03, .. "abc"u8, 0xC3, .. "xyz"u8];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var nonce = (input[0] & 1) == 0 ? 0 : NearlyExhausted;
        s_session.Reset(nonce);
        var stream = Compose(input[1..], out var plaintext, out var clean);
        var segmentLength = input[0] >> 1 == 0 ? stream.Length + 1 : Math.Max(input[0] >> 1, stream.Length / 64 + 1);
        RemotePeer.Run(() => ExchangeAsync(stream, plaintext, clean, segmentLength), "the Noise secure channel");
    }

    /// <summary>
    /// The transport stream the records describe, the plaintext of its correct frames before the first bad record,
    /// and whether there is no bad record at all.
    /// </summary>
    private static byte[] Compose(ReadOnlySpan<byte> records, out byte[] plaintext, out bool clean)
    {
        var stream = new MemoryStream();
        var expected = new MemoryStream();
        clean = true;
        var generated = 0;
        while (!records.IsEmpty)
        {
            var kind = records[0] >> 6;
            var length = records[0] & 0x3F;
            records = records[1..];
            ReadOnlySpan<byte> body = kind == 1
                ? Pattern(Math.Min(length * 256, MaxGenerated - generated))
                : records[..Math.Min(length, records.Length)];
            if (kind == 1)
                generated += body.Length;
            if (kind != 1)
                records = records[body.Length..];
            if (kind == 2)
            {
                stream.Write(body);
                clean &= body.IsEmpty;
                continue;
            }
            var frame = new byte[NoiseFraming.LengthPrefixSize + body.Length + CipherState.TagSize];
            NoiseFraming.WriteLength(frame, body.Length + CipherState.TagSize);
            var encrypted = s_session.PeerSend.EncryptWithAd([], body, frame.AsSpan(NoiseFraming.LengthPrefixSize), out _) == NoiseError.None;
            // A peer whose nonces are used up can only send frames the channel must refuse: the plaintext and a zero tag.
            if (!encrypted)
                body.CopyTo(frame.AsSpan(NoiseFraming.LengthPrefixSize));
            if (kind == 3)
                frame[^1] ^= 0x01;
            stream.Write(frame);
            var good = encrypted && kind != 3;
            if (clean && good)
                expected.Write(body);
            clean &= good;
        }
        plaintext = expected.ToArray();
        return stream.ToArray();
    }

    private static async Task ExchangeAsync(byte[] stream, byte[] plaintext, bool clean, int segmentLength)
    {
        var (local, remote) = PipeFactory.CreateConnectedPair();
        var channel = s_session.CreateChannel(local);
        var receiving = RemotePeer.ReceiveAsync(remote.Input);
        var sending = RemotePeer.SendAsync(remote.Output, stream, segmentLength);
        var (read, readError) = await ReadAllAsync(channel.Input);
        await channel.DisposeAsync();
        await sending;
        var (_, connectionError) = await receiving;
        Exception? completionError = null;
        try
        {
            await channel.Completion;
        }
        catch (Exception e)
        {
            completionError = e;
        }

        ThrowIf(!plaintext.AsSpan().StartsWith(read),
            $"the application read {read.Length} bytes that are not a prefix of the {plaintext.Length} bytes sent in correct frames");
        if (clean)
        {
            ThrowIf(readError is not null || read.Length != plaintext.Length,
                $"a stream of correct frames gave {read.Length} of {plaintext.Length} bytes and {readError?.ToString() ?? "no error"}");
            ThrowIf(completionError is not null || connectionError is not null,
                $"a stream of correct frames ended the channel with {completionError ?? connectionError}");
            return;
        }
        if (readError is not NoiseException
            {
                Error: NoiseError.MessageTooShort or NoiseError.DecryptionFailed or NoiseError.ConnectionClosed or NoiseError.NonceExhausted,
            } failure)
        {
            throw new ContractViolationException(
                $"a stream with a bad frame ended the application's reads with {readError?.ToString() ?? "no error"}");
        }
        ThrowIf(!ReferenceEquals(completionError, failure) || !ReferenceEquals(connectionError, failure),
            $"the channel failed with {failure.Error}, but Completion ended with {completionError?.GetType().Name ?? "no error"} "
            + $"and the connection with {connectionError?.GetType().Name ?? "no error"}");
    }

    private static async Task<(byte[] Read, Exception? Error)> ReadAllAsync(PipeReader input)
    {
        var read = new MemoryStream();
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                foreach (var segment in result.Buffer)
                    read.Write(segment.Span);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    break;
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        await input.CompleteAsync();
        return (read.ToArray(), error);
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(i * 7);
        return bytes;
    }

    /// <summary>
    /// The handshake hash of one real handshake, kept for the process's life, and fixed transport keys. A channel wipes
    /// its ciphers when it ends, so every input gets fresh ones keyed the same way and set to the input's nonce: the
    /// channel's (it is the responder) and the initiator's sending one, which the records use.
    /// </summary>
    private sealed class Session
    {
        private static readonly byte[] s_initiatorToResponderKey = Filled(0x55);
        private static readonly byte[] s_responderToInitiatorKey = Filled(0x66);

        private readonly byte[] _handshakeHash;
        private readonly PeerPublicKey _remoteKey;
        private CipherState? _channelSend;
        private CipherState? _channelReceive;

        private Session(byte[] handshakeHash, PeerPublicKey remoteKey)
        {
            _handshakeHash = handshakeHash;
            _remoteKey = remoteKey;
        }

        public CipherState PeerSend { get; private set; } = new();

        public static Session Create()
        {
            using var initiator = new NoiseXXHandshakeState(true, [], Filled(0x11), Filled(0x22));
            using var responder = new NoiseXXHandshakeState(false, [], Filled(0x33), Filled(0x44));
            var buffer = new byte[256];
            var payload = new byte[256];
            foreach (var (writer, reader) in new[] { (initiator, responder), (responder, initiator), (initiator, responder) })
            {
                ThrowIf(writer.WriteMessage([], buffer, out var written) != NoiseError.None
                    || reader.ReadMessage(buffer.AsSpan(0, written), payload, out _) != NoiseError.None, "the fixed-key handshake failed");
            }
            using var identity = IdentitySamples.Ed25519();
            return new Session(responder.HandshakeHash.ToArray(), identity.PublicKey);
        }

        public void Reset(ulong nonce)
        {
            PeerSend.Dispose();
            _channelSend?.Dispose();
            _channelReceive?.Dispose();
            PeerSend = Keyed(s_initiatorToResponderKey, nonce);
            _channelReceive = Keyed(s_initiatorToResponderKey, nonce);
            _channelSend = Keyed(s_responderToInitiatorKey, 0);
        }

        public NoiseSecureChannel CreateChannel(IDuplexPipe connection)
        {
            var channel = new NoiseSecureChannel(connection, isInitiator: false, _channelSend!, _channelReceive!, _remoteKey, [], null,
                _handshakeHash, s_options);
            channel.Start();
            return channel;
        }

        private static CipherState Keyed(byte[] key, ulong nonce)
        {
            var cipher = new CipherState();
            cipher.InitializeKey(key);
            cipher.SetNonce(nonce);
            return cipher;
        }

        private static byte[] Filled(byte value)
        {
            var key = new byte[X25519.KeySize];
            key.AsSpan().Fill(value);
            return key;
        }
    }
}
