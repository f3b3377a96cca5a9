using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Identity;

namespace Sequencer.Net.Noise;

/// <summary>
/// noise-libp2p (protocol id <c>/noise</c>): secures a raw connection with <c>Noise_XX_25519_ChaChaPoly_SHA256</c>,
/// an empty prologue and the libp2p handshake payload, and returns a <see cref="NoiseSecureChannel"/>. Create one per
/// node: it holds the node's Noise static key (fresh per process, as the spec recommends; never stored) and the
/// payload signing it with the identity key, so a handshake costs no signature of ours — only the check of the peer's.
/// <para>
/// The handshake is bounded by <see cref="NoiseOptions.HandshakeTimeout"/> and the caller's token. Any failure —
/// a bad signature, an unexpected peer, garbage, a closed connection, the deadline — completes the connection's pipes
/// with a <see cref="NoiseHandshakeException"/> (the transport then resets it) and throws it; a cancellation by the
/// caller does the same with the <see cref="OperationCanceledException"/>.
/// </para>
/// </summary>
public sealed class NoiseSecurity : IDisposable
{
    public const string ProtocolId = "/noise";

    /// <summary>What <c>identity_sig</c> signs, before the static key.</summary>
    internal const string StaticKeySignaturePrefix = "noise-libp2p-static-key:";

    private static readonly int s_prefixLength = StaticKeySignaturePrefix.Length;

    private readonly SecretKeyMemory _staticPrivateKey = new(X25519.KeySize);
    private readonly byte[] _payload;
    private readonly NoiseOptions _options;

    /// <summary>Prepares the static key and the signed payload; <paramref name="identity"/> is not kept.</summary>
    public unsafe NoiseSecurity(PeerPrivateKey identity, NoiseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        options ??= NoiseOptions.Default;
        options.Validate();
        _options = options;
        LocalPeerId = identity.PublicKey.ToPeerId();
        Span<byte> staticPublicKey = stackalloc byte[X25519.KeySize];
        X25519.GenerateKeyPair(new Span<byte>(_staticPrivateKey.Pointer, X25519.KeySize), staticPublicKey);
        _payload = CreatePayload(identity, staticPublicKey, options.StreamMuxers);
        var largest = NoiseXXHandshakeState.GetMessageSize(1, _payload.Length);
        if (largest > NoiseFraming.MaxMessageSize)
            throw new ArgumentException($"a handshake payload of {_payload.Length} bytes does not fit a Noise message: list fewer muxers", nameof(options));
    }

    public PeerId LocalPeerId { get; }

    /// <summary>
    /// Dialler side (Noise initiator). With <paramref name="expectedRemotePeer"/> (the /p2p part of the dialled
    /// address) the peer must prove that identity, or the handshake fails with <see cref="NoiseError.PeerIdMismatch"/>.
    /// The channel owns <paramref name="connection"/> from now on.
    /// </summary>
    public Task<NoiseSecureChannel> SecureOutboundAsync(IDuplexPipe connection, PeerId? expectedRemotePeer = null,
        CancellationToken cancellationToken = default)
        => HandshakeAsync(connection, isInitiator: true, expectedRemotePeer, cancellationToken);

    /// <summary>Listener side (Noise responder): accepts any peer that proves an identity. The channel owns <paramref name="connection"/>.</summary>
    public Task<NoiseSecureChannel> SecureInboundAsync(IDuplexPipe connection, CancellationToken cancellationToken = default)
        => HandshakeAsync(connection, isInitiator: false, expectedRemotePeer: null, cancellationToken);

    /// <summary>Wipes the static key; handshakes started later fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _staticPrivateKey.Dispose();

    /// <summary>Our <c>NoiseHandshakePayload</c>: the identity key, its signature of the static key, the muxers.</summary>
    internal static byte[] CreatePayload(PeerPrivateKey identity, ReadOnlySpan<byte> staticPublicKey, IReadOnlyList<string> streamMuxers)
    {
        Span<byte> signed = stackalloc byte[s_prefixLength + X25519.KeySize];
        WriteSignedData(staticPublicKey, signed);
        Span<byte> signature = stackalloc byte[identity.MaxSignatureSize];
        var signatureLength = identity.Sign(signed, signature);
        var payload = new NoiseHandshakePayload(identity.PublicKey.ToProtobuf(), signature[..signatureLength], streamMuxers);
        var bytes = new byte[payload.GetSize()];
        payload.Write(bytes);
        return bytes;
    }

    /// <summary>
    /// Checks the peer's payload against the static key the handshake authenticated: decodes the identity key,
    /// verifies its signature of that static key, and compares the peer id with the expected one (when given).
    /// </summary>
    internal static NoiseError TryVerifyPayload(ReadOnlySpan<byte> payloadBytes, ReadOnlySpan<byte> remoteStaticKey,
        PeerId? expectedRemotePeer, out PeerPublicKey? remoteKey, out IReadOnlyList<string> remoteMuxers, out string failure)
    {
        remoteKey = null;
        remoteMuxers = [];
        var error = NoiseHandshakePayload.TryRead(payloadBytes, out var payload, out failure);
        if (error != NoiseError.None)
        {
            failure = $"the peer's handshake payload ({payloadBytes.Length} bytes) is malformed: {failure}";
            return error;
        }
        var keyError = PeerPublicKey.TryDecodeProtobuf(payload.IdentityKey, out var key);
        if (keyError != IdentityError.None)
        {
            failure = $"the peer's identity key ({payload.IdentityKey.Length} bytes) is refused: {keyError}";
            return NoiseError.InvalidIdentityKey;
        }
        Span<byte> signed = stackalloc byte[s_prefixLength + X25519.KeySize];
        WriteSignedData(remoteStaticKey, signed);
        var peerId = key!.ToPeerId();
        if (!key.Verify(signed, payload.IdentitySignature))
        {
            failure = $"the {payload.IdentitySignature.Length}-byte identity_sig of {peerId} ({key.Type}) does not sign this handshake's static key";
            return NoiseError.InvalidSignature;
        }
        if (expectedRemotePeer is { } expected && expected != peerId)
        {
            failure = $"dialled {expected}, but the peer proved identity {peerId}";
            return NoiseError.PeerIdMismatch;
        }
        remoteKey = key;
        remoteMuxers = payload.StreamMuxers;
        return NoiseError.None;
    }

    private static void WriteSignedData(ReadOnlySpan<byte> staticPublicKey, Span<byte> destination)
    {
        Encoding.ASCII.GetBytes(StaticKeySignaturePrefix, destination);
        staticPublicKey.CopyTo(destination[s_prefixLength..]);
    }

    private async Task<NoiseSecureChannel> HandshakeAsync(IDuplexPipe connection, bool isInitiator, PeerId? expectedRemotePeer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var deadline = _options.HandshakeTimeout == Timeout.InfiniteTimeSpan
            ? null
            : new CancellationTokenSource(_options.HandshakeTimeout, _options.TimeProvider);
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var token = linked?.Token ?? cancellationToken;
        // One buffer: a received message in the first half, its decrypted payload in the second.
        var buffer = ArrayPool<byte>.Shared.Rent(2 * NoiseFraming.MaxMessageSize);
        NoiseXXHandshakeState? state = null;
        try
        {
            state = CreateState(isInitiator);
            var handshake = new Handshake(connection, state, buffer, token);
            PeerPublicKey remoteKey;
            IReadOnlyList<string> remoteMuxers;
            if (isInitiator)
            {
                // -> e
                handshake.Write([]);
                await handshake.FlushAsync().ConfigureAwait(false);
                // <- e, ee, s, es, payload
                var payloadLength = await handshake.ReadAsync().ConfigureAwait(false);
                (remoteKey, remoteMuxers) = Verify(state, buffer.AsSpan(NoiseFraming.MaxMessageSize, payloadLength), expectedRemotePeer);
                // -> s, se, payload
                handshake.Write(_payload);
                await handshake.FlushAsync().ConfigureAwait(false);
            }
            else
            {
                // -> e (libp2p's initiator sends no payload here: "the first message that guarantees secrecy" is 3)
                var firstPayload = await handshake.ReadAsync().ConfigureAwait(false);
                if (firstPayload != 0)
                {
                    throw new NoiseHandshakeException(NoiseError.MessageTooLong,
                        $"the first handshake message must be the {NoiseXXHandshakeState.DhSize}-byte ephemeral key; it has {firstPayload} more bytes");
                }
                // <- e, ee, s, es, payload
                handshake.Write(_payload);
                await handshake.FlushAsync().ConfigureAwait(false);
                // -> s, se, payload
                var payloadLength = await handshake.ReadAsync().ConfigureAwait(false);
                (remoteKey, remoteMuxers) = Verify(state, buffer.AsSpan(NoiseFraming.MaxMessageSize, payloadLength), expectedRemotePeer: null);
            }
            var (send, receive) = state.Split();
            NoiseSecureChannel channel;
            try
            {
                channel = new NoiseSecureChannel(connection, isInitiator, send, receive, remoteKey, remoteMuxers,
                    SelectStreamMuxer(remoteMuxers), state.HandshakeHash, _options);
            }
            catch
            {
                send.Dispose();
                receive.Dispose();
                throw;
            }
            channel.Start();
            return channel;
        }
        catch (Exception e)
        {
            var failure = e is OperationCanceledException && deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested
                ? new NoiseHandshakeException(NoiseError.Timeout,
                    $"the Noise handshake did not finish within {_options.HandshakeTimeout} (at message {state?.MessageIndex ?? 0} of {NoiseXXHandshakeState.MessageCount})", e)
                : e;
            // The connection is in no usable state: end both directions. An output completed with an error makes a
            // transport reset the connection; the input is completed plainly, which a transport reads as "nobody reads".
            await connection.Output.CompleteAsync(failure).ConfigureAwait(false);
            await connection.Input.CompleteAsync().ConfigureAwait(false);
            if (failure == e)
                throw;
            throw failure;
        }
        finally
        {
            state?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (PeerPublicKey Key, IReadOnlyList<string> Muxers) Verify(NoiseXXHandshakeState state, ReadOnlySpan<byte> payload,
        PeerId? expectedRemotePeer)
    {
        var error = TryVerifyPayload(payload, state.RemoteStaticKey, expectedRemotePeer, out var key, out var muxers, out var failure);
        if (error != NoiseError.None)
            throw new NoiseHandshakeException(error, failure);
        return (key!, muxers);
    }

    /// <summary>
    /// The muxer to start without negotiation: the first of the peer's list that we offer too (js-libp2p picks the same
    /// way, so with one muxer each side both agree), or null to negotiate with multistream-select inside the channel.
    /// </summary>
    private string? SelectStreamMuxer(IReadOnlyList<string> remoteMuxers)
    {
        foreach (var candidate in remoteMuxers)
        {
            foreach (var ours in _options.StreamMuxers)
            {
                if (string.Equals(candidate, ours, StringComparison.Ordinal))
                    return ours;
            }
        }
        return null;
    }

    private unsafe NoiseXXHandshakeState CreateState(bool isInitiator)
    {
        var added = false;
        try
        {
            // Holds the key's memory alive against a concurrent Dispose while it is copied.
            _staticPrivateKey.DangerousAddRef(ref added);
            return new NoiseXXHandshakeState(isInitiator, prologue: [], new ReadOnlySpan<byte>(_staticPrivateKey.Pointer, X25519.KeySize));
        }
        finally
        {
            if (added)
                _staticPrivateKey.DangerousRelease();
        }
    }

    /// <summary>Reads and writes the handshake's frames on the connection.</summary>
    private readonly struct Handshake(IDuplexPipe connection, NoiseXXHandshakeState state, byte[] buffer, CancellationToken token)
    {
        /// <summary>Frames the next message, carrying <paramref name="payload"/>, into the connection's output.</summary>
        public void Write(ReadOnlySpan<byte> payload)
        {
            var index = state.MessageIndex;
            var size = NoiseXXHandshakeState.GetMessageSize(index, payload.Length);
            var span = connection.Output.GetSpan(NoiseFraming.LengthPrefixSize + size);
            NoiseFraming.WriteLength(span, size);
            var error = state.WriteMessage(payload, span.Slice(NoiseFraming.LengthPrefixSize, size), out var written);
            if (error != NoiseError.None)
                throw new NoiseHandshakeException(error, $"writing handshake message {index} failed: the peer's ephemeral key is a low-order point");
            connection.Output.Advance(NoiseFraming.LengthPrefixSize + written);
        }

        public async ValueTask FlushAsync()
        {
            var result = await connection.Output.FlushAsync(token).ConfigureAwait(false);
            if (result.IsCompleted)
                throw new NoiseHandshakeException(NoiseError.ConnectionClosed, $"the peer stopped reading during handshake message {state.MessageIndex}");
        }

        /// <summary>Reads the next frame, processes it as the next handshake message, and returns the payload's length.</summary>
        public async ValueTask<int> ReadAsync()
        {
            var input = connection.Input;
            var index = state.MessageIndex;
            while (true)
            {
                var result = await input.ReadAsync(token).ConfigureAwait(false);
                if (result.IsCanceled)
                    throw new NoiseHandshakeException(NoiseError.ConnectionClosed, $"reading handshake message {index} was cancelled");
                var sequence = result.Buffer;
                if (NoiseFraming.TryReadLength(sequence, out var length) && sequence.Length >= NoiseFraming.LengthPrefixSize + length)
                {
                    var frame = sequence.Slice(NoiseFraming.LengthPrefixSize, length);
                    frame.CopyTo(buffer);
                    input.AdvanceTo(frame.End);
                    return Process(length);
                }
                if (result.IsCompleted)
                {
                    input.AdvanceTo(sequence.End);
                    throw new NoiseHandshakeException(NoiseError.ConnectionClosed,
                        $"the peer closed the connection during handshake message {index} ({sequence.Length} bytes of its frame received)");
                }
                input.AdvanceTo(sequence.Start, sequence.End);
            }
        }

        private int Process(int length)
        {
            var index = state.MessageIndex;
            var error = state.ReadMessage(buffer.AsSpan(0, length), buffer.AsSpan(NoiseFraming.MaxMessageSize), out var payloadLength);
            if (error == NoiseError.None)
                return payloadLength;
            var detail = error switch
            {
                NoiseError.MessageTooShort =>
                    $"handshake message {index} is {length} bytes; it needs at least {NoiseXXHandshakeState.GetMessageSize(index, 0)}",
                NoiseError.DecryptionFailed => $"handshake message {index} ({length} bytes) does not authenticate",
                NoiseError.InvalidKeyAgreement => $"handshake message {index} carries a low-order X25519 key",
                _ => $"handshake message {index} ({length} bytes) was refused: {error}",
            };
            throw new NoiseHandshakeException(error, detail);
        }
    }
}
