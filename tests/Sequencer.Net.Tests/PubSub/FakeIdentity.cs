using System.Collections.Concurrent;
using Sequencer.Core.Crypto;
using Sequencer.Net.PubSub.Signing;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>
/// A stand-in identity for router tests: the "public key" is an Ed25519-shaped protobuf over SHA-256(secret), the
/// peer id inlines it as libp2p does, and a "signature" is HMAC-SHA256(secret, payload). Verification looks the
/// secret up in a process-wide key ring. It exercises every rule of StrictSign (key ↔ from, payload, tampering)
/// without depending on real signature algorithms, which the identity types provide.
/// </summary>
internal sealed class FakeIdentity : IPubSubSigner
{
    private static readonly ConcurrentDictionary<string, byte[]> KeyRing = new();
    private readonly byte[] _secret;

    public FakeIdentity(Random random)
    {
        _secret = new byte[32];
        random.NextBytes(_secret);
        var publicKey = new byte[36];
        new byte[] { 0x08, 0x01, 0x12, 0x20 }.CopyTo(publicKey, 0);
        Sha256.Hash(_secret, publicKey.AsSpan(4));
        PublicKeyBytes = publicKey;
        PeerIdBytes = [0x00, 0x24, .. publicKey];
        KeyRing[Convert.ToHexString(publicKey)] = _secret;
    }

    public byte[] PeerIdBytes { get; }

    public byte[] PublicKeyBytes { get; }

    public ReadOnlyMemory<byte> PeerId => PeerIdBytes;

    public ReadOnlyMemory<byte> PublicKey => PublicKeyBytes;

    public int MaxSignatureLength => 32;

    public int Sign(ReadOnlySpan<byte> payload, Span<byte> signature)
    {
        HmacSha256.Compute(_secret, payload, signature);
        return 32;
    }

    public static IPubSubSignatureVerifier Verifier { get; } = new FakeVerifier();

    private sealed class FakeVerifier : IPubSubSignatureVerifier
    {
        public SignatureCheck Verify(
            ReadOnlySpan<byte> from, ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
        {
            if (!MessageIds.TryGetInlinedKey(from, out var inlined))
                return SignatureCheck.InvalidPeerId;
            if (!key.IsEmpty && !key.SequenceEqual(inlined))
                return KeyRing.ContainsKey(Convert.ToHexString(key)) ? SignatureCheck.KeyMismatch : SignatureCheck.InvalidKey;
            if (!KeyRing.TryGetValue(Convert.ToHexString(inlined), out var secret))
                return SignatureCheck.InvalidKey;
            Span<byte> expected = stackalloc byte[32];
            HmacSha256.Compute(secret, payload, expected);
            return signature.SequenceEqual(expected) ? SignatureCheck.Valid : SignatureCheck.InvalidSignature;
        }
    }
}
