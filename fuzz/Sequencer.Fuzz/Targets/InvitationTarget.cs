using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary><see cref="Invitation.TryDecode"/>; a decoded invitation also gives its signing digest.</summary>
internal sealed class InvitationTarget : WireMessageTarget<Invitation>
{
    public override string Name => "wire-invitation";

    protected override WireMessageType Type => WireMessageType.Invitation;

    public override IEnumerable<byte[]> Seeds()
    {
        var invitation = new Invitation
        {
            Round = Round(1), DirectoryHash = Hash(2), ParentHash = Hash(3), SequencerIndex = 5, BuddyIndex = 9,
            Proof = Proof(4), Deadline = 1_700_000_000_000, Signature = Signature(6),
        };
        yield return Encoded(invitation.Encode);
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out Invitation message) =>
        Invitation.TryDecode(input, out message);

    protected override void Encode(in Invitation message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in Invitation left, in Invitation right) => left.Equals(right);

    protected override void UseDecoded(in Invitation message)
    {
        Span<byte> digest = stackalloc byte[32];
        message.ComputeSigningDigest(digest);
    }
}
