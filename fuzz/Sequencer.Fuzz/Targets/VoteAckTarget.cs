using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary><see cref="VoteAck.TryDecode"/>.</summary>
internal sealed class VoteAckTarget : WireMessageTarget<VoteAck>
{
    public override string Name => "wire-vote-ack";

    protected override WireMessageType Type => WireMessageType.VoteAck;

    public override IEnumerable<byte[]> Seeds()
    {
        var ack = new VoteAck { Round = Round(1), VoterIndex = 7, Status = VoteAckStatus.Recorded };
        yield return Encoded(ack.Encode);
        ack.Status = VoteAckStatus.Malformed;
        yield return Encoded(ack.Encode);
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out VoteAck message) =>
        VoteAck.TryDecode(input, out message);

    protected override void Encode(in VoteAck message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in VoteAck left, in VoteAck right) => left.Equals(right);
}
