using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary><see cref="VoteSetSummary.TryDecode"/>; the decoded bitmaps' indices are walked and checked against them.</summary>
internal sealed class VoteSetSummaryTarget : WireMessageTarget<VoteSetSummary>
{
    public override string Name => "wire-vote-set-summary";

    protected override WireMessageType Type => WireMessageType.VoteSetSummary;

    public override IEnumerable<byte[]> Seeds()
    {
        var summary = new VoteSetSummary
        {
            Round = Round(1),
            SenderIndex = 3,
            Held = new VoteBitmaps(new VoterBitmap(new byte[] { 0b1011, 0, 0x80 }), default),
        };
        yield return Encoded(summary.Encode);
        // An equivocator (voter 1) in both bitmaps, and a voter (17) whose only vote is a Reject.
        summary.Held = new VoteBitmaps(new VoterBitmap(new byte[] { 0b1011, 0, 0x80 }), new VoterBitmap(new byte[] { 0b10, 0, 0b10 }));
        yield return Encoded(summary.Encode);
        summary.Held = default;
        yield return Encoded(summary.Encode);
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out VoteSetSummary message) =>
        VoteSetSummary.TryDecode(input, out message);

    protected override void Encode(in VoteSetSummary message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in VoteSetSummary left, in VoteSetSummary right) => left.Equals(right);

    protected override void UseDecoded(in VoteSetSummary message) => VoterBitmapCheck.Walk(message.Held);
}
