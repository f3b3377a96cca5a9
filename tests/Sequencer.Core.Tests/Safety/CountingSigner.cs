using System.Buffers.Binary;
using System.Security.Cryptography;
using Sequencer.Core.Ports;

namespace Sequencer.Core.Tests.Safety;

/// <summary>
/// A stand-in signer whose every call gives different bytes (SHA-256 of index, call number and digest, twice), like
/// BIP340 with random aux: a test can tell a stored signature handed out again from a fresh signature.
/// </summary>
internal sealed class CountingSigner(int validatorIndex) : IValidatorSigner
{
    public int ValidatorIndex { get; } = validatorIndex;

    public int Calls { get; private set; }

    public void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64)
    {
        Assert.Equal(32, digest32.Length);
        Span<byte> input = stackalloc byte[8 + 32];
        BinaryPrimitives.WriteInt32BigEndian(input, ValidatorIndex);
        BinaryPrimitives.WriteInt32BigEndian(input[4..], ++Calls);
        digest32.CopyTo(input[8..]);
        SHA256.HashData(input, signature64);
        input[0] ^= 0xFF;
        SHA256.HashData(input, signature64[32..]);
    }
}
