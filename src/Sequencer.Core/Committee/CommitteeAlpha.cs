using System.Buffers.Binary;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Committee;

/// <summary>
/// The VRF input α of a height (DESIGN §3 step 1): <c>chainId u64 BE ‖ height u64 BE ‖ parentHash (32)</c>, 48 bytes.
/// </summary>
/// <remarks>
/// Never the block's own hash: the sequencer chooses the block's contents, and if they fed α it could try block after
/// block until the VRF drew a committee to its liking. The parent hash is fixed before the sequencer acts, the chain id
/// keeps two chains' committees apart, and the height makes every height's draw fresh. The VRF is unique for a key and
/// α, so the sequencer has exactly one possible committee per height and parent.
/// </remarks>
public static class CommitteeAlpha
{
    public const int Length = 8 + 8 + Hash32.Length;

    public static void Write(ulong chainId, ulong height, in Hash32 parentHash, Span<byte> alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(alpha.Length, Length, nameof(alpha));
        BinaryPrimitives.WriteUInt64BigEndian(alpha, chainId);
        BinaryPrimitives.WriteUInt64BigEndian(alpha[8..], height);
        parentHash.AsReadOnlySpan().CopyTo(alpha[16..]);
    }
}
