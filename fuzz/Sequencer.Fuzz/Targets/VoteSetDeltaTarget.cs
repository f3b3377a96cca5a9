using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.ContractViolationException;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="VoteSetDelta.TryDecode"/>; a decoded delta enumerates exactly its count of entries, which pass
/// <see cref="VoteSetDelta.ValidateEntries"/> and give each vote's signing digest.
/// </summary>
internal sealed class VoteSetDeltaTarget : WireMessageTarget<VoteSetDelta>
{
    public override string Name => "wire-vote-set-delta";

    protected override WireMessageType Type => WireMessageType.VoteSetDelta;

    public override IEnumerable<byte[]> Seeds()
    {
        VoteSetEntry[] entries =
        [
            new() { VoterIndex = 1, Decision = Decision.Accept, Signature = Signature(1) },
            // Equivocation evidence: one voter, both decisions, in (voter, decision) order.
            new() { VoterIndex = 8, Decision = Decision.Accept, Signature = Signature(2) },
            new() { VoterIndex = 8, Decision = Decision.Reject, Signature = Signature(3) },
        ];
        yield return Encoded(output => VoteSetDelta.Encode(output, Round(1), Hash(2), entries));
        yield return Encoded(output => VoteSetDelta.Encode(output, Round(1), Hash(2), []));
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out VoteSetDelta message) =>
        VoteSetDelta.TryDecode(input, out message);

    protected override void Encode(in VoteSetDelta message, IBufferWriter<byte> output) =>
        VoteSetDelta.Encode(output, message.Round, message.DirectoryHash, Entries(message));

    protected override bool AreEqual(in VoteSetDelta left, in VoteSetDelta right) =>
        left.Round == right.Round && left.DirectoryHash == right.DirectoryHash
        && Entries(left).AsSpan().SequenceEqual(Entries(right));

    protected override void UseDecoded(in VoteSetDelta message)
    {
        var entries = Entries(message);
        ThrowIf(entries.Length != message.Count, "a delta enumerates a different number of entries than it holds");
        ThrowIf(!VoteSetDelta.ValidateEntries(entries).IsOk, "decoded entries fail ValidateEntries");
        Span<byte> digest = stackalloc byte[32];
        foreach (var entry in entries)
            entry.ToVote(message.Round, message.DirectoryHash).ComputeSigningDigest(digest);
    }

    private static VoteSetEntry[] Entries(in VoteSetDelta delta)
    {
        var entries = new List<VoteSetEntry>(delta.Count);
        foreach (var entry in delta)
            entries.Add(entry);
        return [.. entries];
    }
}
