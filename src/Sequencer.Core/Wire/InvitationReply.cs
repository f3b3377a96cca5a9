using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// A buddy's signed answer to an <see cref="Invitation"/>, on the same stream. A signed decline is the only thing that
/// lets a backup replace a main buddy (a silent buddy stays in the committee), so it is carried on into the proposal
/// and the certificate as a <see cref="SignedDecline"/>.
/// <code>
/// offset size field
///      0    1 version (1)
///      1    1 type (0x02)
///      2   48 round             chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50   32 directoryHash
///     82   32 invitationDigest  the signing digest of the invitation answered
///    114    4 buddyIndex        u32 BE
///    118    1 answer            1 = Accept, 2 = Decline
///    119    1 reason            0 with Accept; a DeclineReason (1 … 4) with Decline
///    120   64 signature         BIP340 by the buddy's validator key
///    184      end
/// </code>
/// Signing digest: <c>TaggedHash("jmzk/sequencer/invitation-reply/v1", round ‖ directoryHash ‖ invitationDigest ‖
/// buddyIndex ‖ answer ‖ reason)</c>. The invitation digest binds the reply to the exact π, deadline and sequencer
/// the buddy was shown (see <see cref="CommitteeProof"/> for why that matters); round and directory are repeated so
/// that the reply names its round on its own; the buddy index names the key that must verify it.
/// </summary>
public struct InvitationReply : IEquatable<InvitationReply>
{
    public const int EncodedLength = WireHeader.Length + RoundId.EncodedLength + Hash32.Length + Hash32.Length
        + 4 + 1 + 1 + SchnorrSignature.Length;

    internal const int SigningEncodingLength = RoundId.EncodedLength + Hash32.Length + Hash32.Length + 4 + 1 + 1;

    public RoundId Round;
    public Hash32 DirectoryHash;
    public Hash32 InvitationDigest;
    public uint BuddyIndex;
    public InvitationAnswer Answer;
    public DeclineReason Reason;
    public SchnorrSignature Signature;

    public readonly WireResult Validate()
    {
        if (BuddyIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.BuddyIndex);
        if (!Answer.IsDefined())
            return WireResult.Invalid(WireField.Answer);
        var reasonFits = Answer == InvitationAnswer.Accept ? Reason == DeclineReason.None : Reason.IsDeclineReason();
        return reasonFits ? WireResult.Ok : WireResult.Invalid(WireField.DeclineReason);
    }

    public readonly void ComputeSigningDigest(Span<byte> digest) =>
        ComputeSigningDigest(Round, DirectoryHash, InvitationDigest, BuddyIndex, Answer, Reason, digest);

    public static void ComputeSigningDigest(
        in RoundId round, in Hash32 directoryHash, in Hash32 invitationDigest, uint buddyIndex,
        InvitationAnswer answer, DeclineReason reason, Span<byte> digest)
    {
        Span<byte> encoding = stackalloc byte[SigningEncodingLength];
        var writer = new WireWriter(encoding);
        writer.WriteRound(round);
        writer.Write(directoryHash.AsReadOnlySpan());
        writer.Write(invitationDigest.AsReadOnlySpan());
        writer.WriteUInt32(buddyIndex);
        writer.WriteByte((byte)answer);
        writer.WriteByte((byte)reason);
        SigningDomains.InvitationReply.Compute(encoding, digest);
    }

    /// <summary>The form a decline takes inside a <see cref="CommitteeProof"/>.</summary>
    /// <exception cref="InvalidOperationException">This reply is not a decline.</exception>
    public readonly SignedDecline ToSignedDecline()
    {
        if (Answer != InvitationAnswer.Decline)
            throw new InvalidOperationException($"buddy {BuddyIndex}'s reply is {Answer}, not a decline");
        return new SignedDecline { BuddyIndex = BuddyIndex, Reason = Reason, Signature = Signature };
    }

    /// <exception cref="InvalidWireMessageException">The reply fails <see cref="Validate"/>.</exception>
    public readonly void Encode(IBufferWriter<byte> output)
    {
        var validation = Validate();
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.InvitationReply, validation);
        var writer = new WireWriter(output.GetSpan(EncodedLength));
        writer.WriteHeader(WireMessageType.InvitationReply);
        writer.WriteRound(Round);
        writer.Write(DirectoryHash.AsReadOnlySpan());
        writer.Write(InvitationDigest.AsReadOnlySpan());
        writer.WriteUInt32(BuddyIndex);
        writer.WriteByte((byte)Answer);
        writer.WriteByte((byte)Reason);
        writer.Write(Signature.AsReadOnlySpan());
        output.Advance(EncodedLength);
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out InvitationReply reply)
    {
        reply = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.InvitationReply);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out reply.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryRead(reply.DirectoryHash))
            return WireResult.Truncated(WireField.DirectoryHash);
        if (!reader.TryRead(reply.InvitationDigest))
            return WireResult.Truncated(WireField.InvitationDigest);
        if (!reader.TryReadUInt32(out reply.BuddyIndex))
            return WireResult.Truncated(WireField.BuddyIndex);
        if (!reader.TryReadByte(out var answer))
            return WireResult.Truncated(WireField.Answer);
        reply.Answer = (InvitationAnswer)answer;
        if (!reader.TryReadByte(out var reason))
            return WireResult.Truncated(WireField.DeclineReason);
        reply.Reason = (DeclineReason)reason;
        if (!reader.TryRead(reply.Signature))
            return WireResult.Truncated(WireField.Signature);
        var end = reader.ExpectEnd();
        return end.IsOk ? reply.Validate() : end;
    }

    public readonly bool Equals(InvitationReply other) =>
        Round == other.Round && DirectoryHash == other.DirectoryHash && InvitationDigest == other.InvitationDigest
        && BuddyIndex == other.BuddyIndex && Answer == other.Answer && Reason == other.Reason
        && Signature == other.Signature;

    public override readonly bool Equals(object? obj) => obj is InvitationReply other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Round, BuddyIndex, Answer, Signature);
}
