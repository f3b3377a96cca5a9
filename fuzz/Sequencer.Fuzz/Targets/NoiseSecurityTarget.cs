using System.Buffers.Binary;
using System.Buffers;
using System.IO.Pipelines;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Identity;
using Sequencer.Net.Noise;
using Sequencer.Net.Transport;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="NoiseSecurity"/>'s handshake over pipes, with the input as what the remote side contributes. The first
/// input byte picks one of four remotes (and the write segments of the raw ones):
/// <list type="number">
/// <item>raw initiator: the rest is the byte stream a responder reads (frames, garbage, a stream cut short);</item>
/// <item>real initiator: a correct message 1, then message 3 carrying the rest as its handshake payload, so the
/// responder's payload checks (protobuf, identity key, signature) run on arbitrary payloads;</item>
/// <item>real responder: message 2 carries the rest as its payload, to an initiator that may expect a peer id;</item>
/// <item>raw responder: the rest is the byte stream an initiator reads.</item>
/// </list>
/// The real remote's Noise keys are fixed, so a payload signing its static key (the seeds) completes the handshake.
/// <para>
/// Checks: the handshake ends — within <see cref="RemotePeer.Deadline"/> — with a channel or a
/// <see cref="NoiseHandshakeException"/> whose error that side and remote can cause (never Timeout: the input ends;
/// never a peer-id mismatch without an expected peer); after a failure the connection's output ends with that
/// exception (what makes a transport reset the connection); a channel names the identity and muxers of the payload
/// that completed it, and the handshake messages our side sent are ones the real remote accepts.
/// </para>
/// </summary>
internal sealed class NoiseSecurityTarget : IFuzzTarget
{
    private const int RawInitiator = 0;
    private const int RealInitiator = 1;
    private const int RealResponder = 2;
    private const int RawResponder = 3;

    // No handshake deadline or close timeout of its own: a handshake or channel that waits once its input has ended
    // is a hang to report.
    private static readonly NoiseSecurity s_security = CreateSecurity();
    private static readonly PeerId s_expectedPeer = ExpectedPeer();
    private static readonly byte[] s_remoteStatic = Filled(0x66);
    private static readonly byte[] s_remoteEphemeral = Filled(0x77);

    public string Name => "noise-security";

    public IEnumerable<byte[]> Seeds()
    {
        using var ed25519 = IdentitySamples.Ed25519();
        using var secp256k1 = IdentitySamples.Secp256k1();
        var remoteStaticPublic = new byte[X25519.KeySize];
        X25519.DerivePublicKey(s_remoteStatic, remoteStaticPublic);
        // Complete handshakes: payloads signing the real remote's static key.
        yield return [RealInitiator, .. NoiseSecurity.CreatePayload(ed25519, remoteStaticPublic, [NoiseOptions.YamuxProtocolId])];
        yield return [RealInitiator, .. NoiseSecurity.CreatePayload(secp256k1, remoteStaticPublic, [])];
        yield return
        [
            RealResponder | 4, .. NoiseSecurity.CreatePayload(ed25519, remoteStaticPublic, ["/mplex/6.7.0", NoiseOptions.YamuxProtocolId]),
        ];
        yield return [RealResponder, .. NoiseSecurity.CreatePayload(secp256k1, remoteStaticPublic, [])];
        // Raw streams: an initiator's message 1 then a message 3 nobody can decrypt; a responder cut short.
        yield return [RawInitiator | 5 << 3, 0x00, 0x20, .. Filled(0x09), 0x00, 0x40, .. new byte[64]];
        yield return [RawResponder | 1 << 3, 0x00, 0x60, .. Filled(0x09), 0x01];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var mode = input[0] & 3;
        var expectPeer = (input[0] & 4) != 0;
        var segmentLength = (input[0] >> 3) + 1;
        var rest = input[1..].ToArray();
        RemotePeer.Run(() => mode switch
        {
            RawInitiator => RawAsync(rest, isInitiator: false, segmentLength),
            RawResponder => RawAsync(rest, isInitiator: true, segmentLength),
            RealInitiator => RealInitiatorAsync(rest),
            _ => RealResponderAsync(rest, expectPeer ? s_expectedPeer : null),
        }, "the Noise handshake");
    }

    private static async Task RawAsync(byte[] stream, bool isInitiator, int segmentLength)
    {
        var (local, remote) = PipeFactory.CreateConnectedPair();
        var receiving = RemotePeer.ReceiveAsync(remote.Input);
        var sending = RemotePeer.SendAsync(remote.Output, stream, segmentLength);
        var (channel, failure) = await HandshakeAsync(local, isInitiator, expectedPeer: null);
        // A channel would mean the bytes forged a handshake with keys they cannot know.
        ThrowIf(channel is not null, "a handshake with random keys completed on raw bytes");
        await sending;
        await CheckFailureAsync(failure!, receiving, isInitiator, expectedPeer: null);
    }

    /// <summary>A correct message 1; message 3 carries <paramref name="payload"/>.</summary>
    private static async Task RealInitiatorAsync(byte[] payload)
    {
        var (local, remote) = PipeFactory.CreateConnectedPair();
        using var state = new NoiseXXHandshakeState(true, [], s_remoteStatic, s_remoteEphemeral);
        var handshake = HandshakeAsync(local, isInitiator: false, expectedPeer: null);
        await WriteMessageAsync(remote.Output, state, []);
        var message2 = await ReadMessageAsync(remote.Input, state);
        ThrowIf(message2 is null, "the responder did not answer a correct message 1");
        CheckOurPayload(message2!, state);
        payload = Fit(payload, 2);
        await WriteMessageAsync(remote.Output, state, payload);
        await remote.Output.CompleteAsync();
        var (channel, failure) = await handshake;
        if (channel is not null)
            await CheckChannelAsync(channel, payload, remote);
        else
            await CheckFailureAsync(failure!, RemotePeer.ReceiveAsync(remote.Input), isInitiator: false, expectedPeer: null);
    }

    /// <summary>Reads the initiator's message 1 and answers with message 2 carrying <paramref name="payload"/>.</summary>
    private static async Task RealResponderAsync(byte[] payload, PeerId? expectedPeer)
    {
        var (local, remote) = PipeFactory.CreateConnectedPair();
        using var state = new NoiseXXHandshakeState(false, [], s_remoteStatic, s_remoteEphemeral);
        var handshake = HandshakeAsync(local, isInitiator: true, expectedPeer);
        var message1 = await ReadMessageAsync(remote.Input, state);
        ThrowIf(message1 is not { Length: 0 }, "the initiator's message 1 is missing, refused or carries a payload");
        payload = Fit(payload, 1);
        await WriteMessageAsync(remote.Output, state, payload);
        var (channel, failure) = await handshake;
        if (channel is not null)
        {
            var message3 = await ReadMessageAsync(remote.Input, state);
            ThrowIf(message3 is null, "the initiator completed without a message 3 the responder accepts");
            CheckOurPayload(message3!, state);
            await remote.Output.CompleteAsync();
            await CheckChannelAsync(channel, payload, remote);
        }
        else
        {
            await remote.Output.CompleteAsync();
            await CheckFailureAsync(failure!, RemotePeer.ReceiveAsync(remote.Input), isInitiator: true, expectedPeer);
        }
    }

    private static async Task<(NoiseSecureChannel? Channel, NoiseHandshakeException? Failure)> HandshakeAsync(
        IDuplexPipe connection, bool isInitiator, PeerId? expectedPeer)
    {
        try
        {
            var channel = isInitiator
                ? await s_security.SecureOutboundAsync(connection, expectedPeer)
                : await s_security.SecureInboundAsync(connection);
            return (channel, null);
        }
        catch (NoiseHandshakeException e)
        {
            return (null, e);
        }
    }

    private static async Task CheckFailureAsync(NoiseHandshakeException failure, Task<(byte[] Received, Exception? Error)> receiving,
        bool isInitiator, PeerId? expectedPeer)
    {
        ThrowIf(failure.Error is NoiseError.None or NoiseError.Timeout or NoiseError.NonceExhausted
                || (failure.Error == NoiseError.PeerIdMismatch && expectedPeer is null)
                || (failure.Error == NoiseError.MessageTooLong && isInitiator),
            $"the {(isInitiator ? "initiator" : "responder")}'s handshake failed with {failure.Error}: {failure.Message}");
        var (_, error) = await receiving;
        ThrowIf(error is not NoiseHandshakeException ended || ended.Error != failure.Error,
            $"after failing with {failure.Error}, the connection's output ended with {error?.GetType().Name ?? "no error"}");
    }

    /// <summary>The channel names the payload's identity and muxers; closing it closes the connection.</summary>
    private static async Task CheckChannelAsync(NoiseSecureChannel channel, byte[] payload, IDuplexPipe remote)
    {
        CheckChannelNamesPayload(channel, payload);
        var receiving = RemotePeer.ReceiveAsync(remote.Input);
        await channel.DisposeAsync();
        var (_, error) = await receiving;
        ThrowIf(error is not null, $"closing the channel ended the connection with {error}");
    }

    private static void CheckChannelNamesPayload(NoiseSecureChannel channel, byte[] payload)
    {
        ThrowIf(NoiseHandshakePayload.TryRead(payload, out var decoded, out _) != NoiseError.None
                || PeerPublicKey.TryDecodeProtobuf(decoded.IdentityKey, out var key) != IdentityError.None
                || key!.ToPeerId() != channel.RemotePeerId,
            "the channel's remote peer is not the identity of the payload that completed the handshake");
        ThrowIf(!channel.RemoteStreamMuxers.SequenceEqual(decoded.StreamMuxers), "the channel's remote muxers are not the payload's");
        var yamux = channel.RemoteStreamMuxers.Contains(NoiseOptions.YamuxProtocolId);
        ThrowIf(channel.StreamMuxer != (yamux ? NoiseOptions.YamuxProtocolId : null), $"the channel chose muxer {channel.StreamMuxer}");
    }

    /// <summary>Our side's message 2 or 3 carries a payload that verifies against the static key it sent.</summary>
    private static void CheckOurPayload(byte[] payload, NoiseXXHandshakeState remoteState)
    {
        var error = NoiseSecurity.TryVerifyPayload(payload, remoteState.RemoteStaticKey, s_security.LocalPeerId, out _, out _, out var failure);
        ThrowIf(error != NoiseError.None, $"our handshake payload does not verify: {failure}");
    }

    private static async Task WriteMessageAsync(PipeWriter wire, NoiseXXHandshakeState state, byte[] payload)
    {
        var message = new byte[NoiseXXHandshakeState.GetMessageSize(state.MessageIndex, payload.Length)];
        var error = state.WriteMessage(payload, message, out var written);
        ThrowIf(error != NoiseError.None, $"the remote could not write message {state.MessageIndex}: {error}");
        var frame = new byte[NoiseFraming.LengthPrefixSize + written];
        NoiseFraming.WriteLength(frame, written);
        message.AsSpan(0, written).CopyTo(frame.AsSpan(NoiseFraming.LengthPrefixSize));
        await wire.WriteAsync(frame);
    }

    /// <summary>The next frame processed as the next message: its payload, or null when the frame never came or was refused.</summary>
    private static async Task<byte[]?> ReadMessageAsync(PipeReader wire, NoiseXXHandshakeState state)
    {
        byte[] frame;
        try
        {
            while (true)
            {
                var result = await wire.ReadAsync();
                var buffer = result.Buffer;
                if (NoiseFraming.TryReadLength(buffer, out var length) && buffer.Length >= NoiseFraming.LengthPrefixSize + length)
                {
                    frame = buffer.Slice(NoiseFraming.LengthPrefixSize, length).ToArray();
                    wire.AdvanceTo(buffer.GetPosition(NoiseFraming.LengthPrefixSize + length));
                    break;
                }
                wire.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                    return null;
            }
        }
        catch (NoiseHandshakeException)
        {
            // Our side gave up and reset the connection.
            return null;
        }
        var payload = new byte[frame.Length];
        return state.ReadMessage(frame, payload, out var payloadLength) == NoiseError.None ? payload[..payloadLength] : null;
    }

    /// <summary>The payload cut to what one Noise message can carry.</summary>
    private static byte[] Fit(byte[] payload, int messageIndex)
    {
        var max = NoiseFraming.MaxMessageSize - NoiseXXHandshakeState.GetMessageSize(messageIndex, 0);
        return payload.Length <= max ? payload : payload[..max];
    }

    private static NoiseSecurity CreateSecurity()
    {
        using var identity = IdentitySamples.Secp256k1();
        return new NoiseSecurity(identity, new NoiseOptions
        {
            HandshakeTimeout = Timeout.InfiniteTimeSpan,
            CloseTimeout = Timeout.InfiniteTimeSpan,
        });
    }

    private static PeerId ExpectedPeer()
    {
        using var identity = IdentitySamples.Ed25519();
        return identity.PublicKey.ToPeerId();
    }

    private static byte[] Filled(byte value)
    {
        var key = new byte[X25519.KeySize];
        key.AsSpan().Fill(value);
        return key;
    }
}
