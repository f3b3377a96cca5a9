using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary><see cref="Vote.TryDecode"/>; a decoded vote also gives its signing digest.</summary>
internal sealed class VoteTarget : WireMessageTarget<Vote>
{
    public override string Name => "wire-vote";

    protected override WireMessageType Type => WireMessageType.Vote;

    public override IEnumerable<byte[]> Seeds()
    {
        var vote = new Vote
        {
            Round = Round(1), DirectoryHash = Hash(2), VoterIndex = 42, Decision = Decision.Accept, Signature = Signature(3),
        };
        yield return Encoded(vote.Encode);
        vote.VoterIndex = WireLimits.MaxValidators - 1;
        vote.Decision = Decision.Reject;
        yield return Encoded(vote.Encode);
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out Vote message) => Vote.TryDecode(input, out message);

    protected override void Encode(in Vote message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in Vote left, in Vote right) => left.Equals(right);

    protected override void UseDecoded(in Vote message)
    {
        Span<byte> digest = stackalloc byte[32];
        message.ComputeSigningDigest(digest);
    }
}
