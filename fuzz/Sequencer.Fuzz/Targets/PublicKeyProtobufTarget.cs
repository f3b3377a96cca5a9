using Sequencer.Core.Identity;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="PeerPublicKey.TryDecodeProtobuf"/>, as identify, Noise handshake payloads and gossip <c>key</c> fields
/// deliver it. Checks: an error comes with no key, a key with no error; an accepted protobuf is canonical (the key
/// writes back exactly the input, since its bytes are hashed into the peer id); the key's peer id round-trips; and a
/// signature check on arbitrary bytes returns false rather than throwing.
/// </summary>
internal sealed class PublicKeyProtobufTarget : IFuzzTarget
{
    public string Name => "identity-public-key";

    public IEnumerable<byte[]> Seeds()
    {
        using var ed25519 = IdentitySamples.Ed25519();
        using var secp256k1 = IdentitySamples.Secp256k1();
        yield return ed25519.PublicKey.ToProtobuf();
        yield return secp256k1.PublicKey.ToProtobuf();
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var error = PeerPublicKey.TryDecodeProtobuf(input, out var key);
        ThrowIf((error == IdentityError.None) != (key is not null), "the error and the key disagree");
        ThrowIf(!Enum.IsDefined(error), "an undefined IdentityError");
        if (key is null)
            return;
        ThrowIf(!key.ToProtobuf().AsSpan().SequenceEqual(input), "an accepted PublicKey protobuf is not canonical");
        ThrowIf(PeerPublicKey.TryDecodeProtobuf(key.ToProtobuf(), out var again) != IdentityError.None || !key.Equals(again),
            "the re-encoded key decodes differently");
        PeerIdCheck.RoundTrips(key.ToPeerId());
        key.Verify(input, input);
    }
}
