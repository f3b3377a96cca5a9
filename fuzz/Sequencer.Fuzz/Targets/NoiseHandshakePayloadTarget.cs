using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Net.Noise;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// The libp2p Noise handshake payload as a peer's message 2 or 3 delivers it, decrypted:
/// <see cref="NoiseHandshakePayload.TryRead"/> and the check <see cref="NoiseSecurity.TryVerifyPayload"/> runs on it.
/// Checks: an error comes with a description, success with a key and a signature; an accepted payload re-encodes to
/// bytes that decode to the same fields; verifying it against a static key gives a defined result and, when it
/// fails, no key — never an exception.
/// </summary>
internal sealed class NoiseHandshakePayloadTarget : IFuzzTarget
{
    private static readonly byte[] s_staticKey = CreateStaticKey();

    public string Name => "noise-handshake-payload";

    public IEnumerable<byte[]> Seeds()
    {
        using var ed25519 = IdentitySamples.Ed25519();
        using var secp256k1 = IdentitySamples.Secp256k1();
        yield return NoiseSecurity.CreatePayload(ed25519, s_staticKey, [NoiseOptions.YamuxProtocolId]);
        yield return NoiseSecurity.CreatePayload(secp256k1, s_staticKey, []);
        yield return NoiseSecurity.CreatePayload(secp256k1, s_staticKey, ["/mplex/6.7.0", NoiseOptions.YamuxProtocolId]);
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var error = NoiseHandshakePayload.TryRead(input, out var payload, out var failure);
        ThrowIf(!Enum.IsDefined(error), "an undefined NoiseError");
        ThrowIf((error == NoiseError.None) == (failure.Length > 0), "the error and the description disagree");
        if (error == NoiseError.None)
        {
            ThrowIf(payload.StreamMuxers.Count > NoiseHandshakePayload.MaxStreamMuxers, "more muxers than the limit were accepted");
            var encoded = new byte[payload.GetSize()];
            ThrowIf(payload.Write(encoded) != encoded.Length, "the payload's size and its encoding disagree");
            ThrowIf(NoiseHandshakePayload.TryRead(encoded, out var again, out _) != NoiseError.None, "the re-encoded payload is refused");
            ThrowIf(!again.IdentityKey.SequenceEqual(payload.IdentityKey) || !again.IdentitySignature.SequenceEqual(payload.IdentitySignature)
                || !again.StreamMuxers.SequenceEqual(payload.StreamMuxers), "the re-encoded payload decodes to other fields");
        }
        else
        {
            ThrowIf(error != NoiseError.MalformedPayload, $"the payload decoder returned {error}");
        }

        var verified = NoiseSecurity.TryVerifyPayload(input, s_staticKey, null, out var key, out var muxers, out var reason);
        ThrowIf(!Enum.IsDefined(verified), "an undefined NoiseError from verification");
        ThrowIf(verified != NoiseError.None && (key is not null || muxers.Count != 0 || reason.Length == 0),
            "a refused payload still yields a key, muxers, or no reason");
        ThrowIf(verified == NoiseError.None && (key is null || error != NoiseError.None), "an accepted payload has no key or did not decode");
        ThrowIf(verified is not (NoiseError.None or NoiseError.MalformedPayload or NoiseError.InvalidIdentityKey or NoiseError.InvalidSignature),
            $"verification returned {verified}");
    }

    private static byte[] CreateStaticKey()
    {
        var privateKey = new byte[X25519.KeySize];
        privateKey.AsSpan().Fill(0x33);
        var publicKey = new byte[X25519.KeySize];
        X25519.DerivePublicKey(privateKey, publicKey);
        return publicKey;
    }
}
