using Sequencer.Core.Crypto;
using Sequencer.Core.Identity;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="PeerPrivateKey.TryDecodeProtobuf"/>, as key files hold it. Checks: an error comes with no key, a key
/// with no error; a decoded key writes a protobuf no longer than the input (the legacy 96-byte Ed25519 form shrinks
/// to 64) that decodes to the same public key — byte for byte the input for secp256k1; and it signs so that its
/// public key verifies the signature.
/// </summary>
internal sealed class PrivateKeyProtobufTarget : IFuzzTarget
{
    public string Name => "identity-private-key";

    public IEnumerable<byte[]> Seeds()
    {
        using var ed25519 = IdentitySamples.Ed25519();
        using var secp256k1 = IdentitySamples.Secp256k1();
        yield return ed25519.ToProtobuf();
        yield return secp256k1.ToProtobuf();
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var error = PeerPrivateKey.TryDecodeProtobuf(input, out var key);
        ThrowIf((error == IdentityError.None) != (key is not null), "the error and the key disagree");
        ThrowIf(!Enum.IsDefined(error), "an undefined IdentityError");
        if (key is null)
            return;
        using (key)
        {
            var protobuf = key.ToProtobuf();
            try
            {
                ThrowIf(protobuf.Length > input.Length, "a decoded private key re-encodes longer than its input");
                ThrowIf(key.Type == KeyType.Secp256k1 && !protobuf.AsSpan().SequenceEqual(input),
                    "a secp256k1 PrivateKey protobuf re-encodes to different bytes");
                ThrowIf(PeerPrivateKey.TryDecodeProtobuf(protobuf, out var again) != IdentityError.None, "the re-encoded key does not decode");
                using (again)
                    ThrowIf(!again!.PublicKey.Equals(key.PublicKey), "the re-encoded key has another public key");
            }
            finally
            {
                Sodium.Wipe(protobuf);
            }

            Span<byte> signature = stackalloc byte[key.MaxSignatureSize];
            var length = key.Sign(input, signature);
            ThrowIf(!key.PublicKey.Verify(input, signature[..length]), "a key's own signature does not verify");
            PeerIdCheck.RoundTrips(key.PublicKey.ToPeerId());
        }
    }
}
