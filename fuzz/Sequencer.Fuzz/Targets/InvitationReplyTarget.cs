using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="InvitationReply.TryDecode"/>; a decoded reply also gives its signing digest, and a decline converts to
/// the <see cref="SignedDecline"/> a committee proof carries.
/// </summary>
internal sealed class InvitationReplyTarget : WireMessageTarget<InvitationReply>
{
    public override string Name => "wire-invitation-reply";

    protected override WireMessageType Type => WireMessageType.InvitationReply;

    public override IEnumerable<byte[]> Seeds()
    {
        var reply = new InvitationReply
        {
            Round = Round(1), DirectoryHash = Hash(2), InvitationDigest = Hash(3), BuddyIndex = 9,
            Answer = InvitationAnswer.Accept, Reason = DeclineReason.None, Signature = Signature(4),
        };
        yield return Encoded(reply.Encode);
        reply.Answer = InvitationAnswer.Decline;
        reply.Reason = DeclineReason.Overloaded;
        yield return Encoded(reply.Encode);
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out InvitationReply message) =>
        InvitationReply.TryDecode(input, out message);

    protected override void Encode(in InvitationReply message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in InvitationReply left, in InvitationReply right) => left.Equals(right);

    protected override void UseDecoded(in InvitationReply message)
    {
        Span<byte> digest = stackalloc byte[32];
        message.ComputeSigningDigest(digest);
        if (message.Answer == InvitationAnswer.Decline)
            message.ToSignedDecline();
    }
}
