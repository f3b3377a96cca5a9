using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary><see cref="VoteFetch.TryDecode"/>; the decoded bitmaps' indices are walked and checked against them.</summary>
internal sealed class VoteFetchTarget : WireMessageTarget<VoteFetch>
{
    public override string Name => "wire-vote-fetch";

    protected override WireMessageType Type => WireMessageType.VoteFetch;

    public override IEnumerable<byte[]> Seeds()
    {
        var fetch = new VoteFetch
        {
            Round = Round(1),
            RequesterIndex = 4,
            Wanted = new VoteBitmaps(new VoterBitmap(new byte[] { 0, 0x41 }), default),
        };
        yield return Encoded(fetch.Encode);
        // The other half of an equivocation alone: a Reject wanted, no Accept.
        fetch.Wanted = new VoteBitmaps(default, new VoterBitmap(new byte[] { 0, 0x40 }));
        yield return Encoded(fetch.Encode);
        fetch.Wanted = new VoteBitmaps(new VoterBitmap(new byte[] { 0x41 }), new VoterBitmap(new byte[] { 0x01, 0x80 }));
        yield return Encoded(fetch.Encode);
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out VoteFetch message) =>
        VoteFetch.TryDecode(input, out message);

    protected override void Encode(in VoteFetch message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in VoteFetch left, in VoteFetch right) => left.Equals(right);

    protected override void UseDecoded(in VoteFetch message) => VoterBitmapCheck.Walk(message.Wanted);
}
