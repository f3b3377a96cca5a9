using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// A buddy's signed decline as carried inside a <see cref="CommitteeProof"/>: only what the embedding message does not
/// already hold. The signature is the buddy's <see cref="InvitationReply"/> signature; a verifier re-derives that
/// reply's digest from the proof's round, directory, sequencer, parent hash, π and deadline plus these fields
/// (<see cref="CommitteeProof.ComputeDeclineSigningDigest"/>).
/// <code>buddyIndex u32 BE ‖ reason u8 ‖ signature 64   (69 bytes)</code>
/// </summary>
public struct SignedDecline : IEquatable<SignedDecline>
{
    public const int EncodedLength = 4 + 1 + SchnorrSignature.Length;

    public uint BuddyIndex;
    public DeclineReason Reason;
    public SchnorrSignature Signature;

    public readonly bool Equals(SignedDecline other) =>
        BuddyIndex == other.BuddyIndex && Reason == other.Reason && Signature == other.Signature;

    public override readonly bool Equals(object? obj) => obj is SignedDecline other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(BuddyIndex, Reason, Signature);
}
