using System.Buffers.Binary;
using System.Security.Cryptography;
using Sequencer.Core.Safety;

namespace Sequencer.Core.Tests.Safety;

/// <summary>Digest functions over every signed field, standing in for the wire codec's tagged hashes.</summary>
internal static class TestDigests
{
    public static void Vote(in VoteToSign vote, int voterIndex, Span<byte> digest)
    {
        Span<byte> encoding = stackalloc byte[1 + 8 + 8 + 32 + 32 + 4 + 1];
        encoding[0] = 1;
        BinaryPrimitives.WriteUInt64BigEndian(encoding[1..], vote.ChainId);
        BinaryPrimitives.WriteUInt64BigEndian(encoding[9..], vote.Height);
        vote.BlockHash.AsReadOnlySpan().CopyTo(encoding[17..]);
        vote.DirectoryHash.AsReadOnlySpan().CopyTo(encoding[49..]);
        BinaryPrimitives.WriteInt32BigEndian(encoding[81..], voterIndex);
        encoding[85] = (byte)vote.Decision;
        SHA256.HashData(encoding, digest);
    }

    public static void Attestation(in AttestationToSign attestation, int attesterIndex, Span<byte> digest)
    {
        Span<byte> encoding = stackalloc byte[1 + 8 + 8 + 32 + 32 + 32 + 4 + 1];
        encoding[0] = 2;
        BinaryPrimitives.WriteUInt64BigEndian(encoding[1..], attestation.ChainId);
        BinaryPrimitives.WriteUInt64BigEndian(encoding[9..], attestation.Height);
        attestation.BlockHash.AsReadOnlySpan().CopyTo(encoding[17..]);
        attestation.DirectoryHash.AsReadOnlySpan().CopyTo(encoding[49..]);
        attestation.CommitteeDigest.AsReadOnlySpan().CopyTo(encoding[81..]);
        BinaryPrimitives.WriteInt32BigEndian(encoding[113..], attesterIndex);
        encoding[117] = (byte)attestation.Value;
        SHA256.HashData(encoding, digest);
    }

    public static SafetyRules Rules(ISafetyStore store, CountingSigner signer) =>
        new(store, signer, Vote, Attestation);

    /// <summary>A hash whose every byte is <paramref name="fill"/>: readable block and directory names in tests.</summary>
    public static Hash32 Hash(byte fill)
    {
        var hash = default(Hash32);
        hash.AsSpan().Fill(fill);
        return hash;
    }
}
