using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// One signed vote inside a <see cref="VoteSetDelta"/>, without the round fields the delta holds once for all its
/// entries. Its signature verifies against
/// <c>Vote.ComputeSigningDigest(delta.Round, delta.DirectoryHash, VoterIndex, Decision)</c>.
/// <code>voterIndex u32 BE ‖ decision u8 ‖ signature 64   (69 bytes)</code>
/// </summary>
public struct VoteSetEntry : IEquatable<VoteSetEntry>
{
    public const int EncodedLength = 4 + 1 + SchnorrSignature.Length;

    public uint VoterIndex;
    public Decision Decision;
    public SchnorrSignature Signature;

    /// <summary>The full vote this entry stands for in the delta's round.</summary>
    public readonly Vote ToVote(in RoundId round, in Hash32 directoryHash) => new()
    {
        Round = round,
        DirectoryHash = directoryHash,
        VoterIndex = VoterIndex,
        Decision = Decision,
        Signature = Signature,
    };

    /// <summary>The entry form of <paramref name="vote"/> (its round fields go into the delta).</summary>
    public static VoteSetEntry FromVote(in Vote vote) =>
        new() { VoterIndex = vote.VoterIndex, Decision = vote.Decision, Signature = vote.Signature };

    public readonly bool Equals(VoteSetEntry other) =>
        VoterIndex == other.VoterIndex && Decision == other.Decision && Signature == other.Signature;

    public override readonly bool Equals(object? obj) => obj is VoteSetEntry other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(VoterIndex, Decision, Signature);
}
