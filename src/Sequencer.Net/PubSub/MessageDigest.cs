using System.Buffers.Binary;
using Sequencer.Core.Crypto;

namespace Sequencer.Net.PubSub;

/// <summary>
/// A message id reduced to 128 bits of its SHA-256: the key of the seen cache, the message cache, IDONTWANT sets
/// and IWANT promises. Ids are peer-chosen byte strings of any length; a fixed-size digest keeps those tables free
/// of per-message allocations, and SHA-256 keeps collisions (one message masking another) out of any peer's reach.
/// </summary>
internal readonly record struct MessageDigest(UInt128 Value)
{
    public static MessageDigest Of(ReadOnlySpan<byte> messageId)
    {
        Span<byte> hash = stackalloc byte[Sha256.HashSize];
        Sha256.Hash(messageId, hash);
        return new MessageDigest(BinaryPrimitives.ReadUInt128LittleEndian(hash));
    }
}
