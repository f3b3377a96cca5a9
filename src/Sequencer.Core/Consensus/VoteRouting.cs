using System.Buffers.Binary;
using Sequencer.Core.Crypto;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Consensus;

/// <summary>
/// Which committee member a voter sends its vote to first (DESIGN §3 step 5: <c>committee[H(voterId) mod n]</c>), and
/// the order it fails over in.
/// </summary>
/// <remarks>
/// <para><c>H(voterIndex) = u64 BE of the first 8 bytes of TaggedHash("jmzk/sequencer/vote-route/v1", chainId u64 BE ‖
/// height u64 BE ‖ blockHash ‖ voterIndex u32 BE)</c>, and the first member is slot <c>H mod n</c> of the committee's
/// members in slot order (<see cref="Committee.EffectiveCommittee.Members"/>, which every node derives alike from the
/// proposal). Binding the round spreads each voter over different members from one round to the next, so no member is
/// every round's hot spot for the same heavy voters; binding nothing secret keeps the route checkable by anyone.</para>
/// <para>Fail-over walks the slots upward from there (<c>H + 1</c>, <c>H + 2</c>, … mod n): deterministic, and it
/// reaches every member once per cycle.</para>
/// <para>The modulo bias of a 64-bit hash over at most 13 members is below 2^-59: immaterial for load spreading, and
/// nothing about safety depends on the route (any member records any valid vote).</para>
/// </remarks>
public static class VoteRouting
{
    public const string Tag = "jmzk/sequencer/vote-route/v1";

    private static readonly TaggedHash s_hash = new(Tag);

    /// <summary>The slot (0 … <paramref name="committeeSize"/> − 1) of the member a voter tries first.</summary>
    public static int FirstSlot(in RoundId round, int voterIndex, int committeeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(committeeSize);
        ArgumentOutOfRangeException.ThrowIfNegative(voterIndex);
        Span<byte> input = stackalloc byte[RoundId.EncodedLength + 4];
        BinaryPrimitives.WriteUInt64BigEndian(input, round.ChainId);
        BinaryPrimitives.WriteUInt64BigEndian(input[8..], round.Height);
        round.BlockHash.AsReadOnlySpan().CopyTo(input[16..]);
        BinaryPrimitives.WriteUInt32BigEndian(input[RoundId.EncodedLength..], (uint)voterIndex);
        Span<byte> digest = stackalloc byte[32];
        s_hash.Compute(input, digest);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(digest) % (ulong)committeeSize);
    }

    /// <summary>The slot tried at <paramref name="attempt"/> (0 = the first), cycling through every member.</summary>
    public static int SlotAt(int firstSlot, int attempt, int committeeSize) => (firstSlot + attempt) % committeeSize;
}
