using System.Buffers;
using Sequencer.Core.Crdt;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Crdt;

/// <summary>
/// Moves a vote set's sync messages between replicas the way buddies would: deltas as published, summaries, fetches,
/// and fetch answers, each encoded and decoded through the wire codec.
/// </summary>
internal static class VoteSetSync
{
    /// <summary>Receives a delta into a set the way the CRDT sees it: its entries come from replicas that verified them.</summary>
    public static void JoinDelta(VoteSet set, byte[] delta)
    {
        if (!VoteSetDelta.TryDecode(new ReadOnlySequence<byte>(delta), out var decoded).IsOk)
            throw new InvalidOperationException("a replica wrote a delta that does not decode");
        foreach (var entry in decoded)
            set.JoinVerified(entry.VoterIndex, entry.Decision, entry.Signature);
    }

    /// <summary>Every delta of what <paramref name="set"/> added since its last one.</summary>
    public static List<byte[]> NewDeltas(VoteSet set)
    {
        var deltas = new List<byte[]>();
        while (true)
        {
            var output = new ArrayBufferWriter<byte>();
            if (!set.TryWriteNewDelta(output))
                return deltas;
            deltas.Add(output.WrittenSpan.ToArray());
        }
    }

    public static VoteSetSummary Summary(VoteSet set, uint sender)
    {
        var output = new ArrayBufferWriter<byte>();
        set.WriteSummary(sender, output);
        if (!VoteSetSummary.TryDecode(new ReadOnlySequence<byte>(output.WrittenMemory), out var summary).IsOk)
            throw new InvalidOperationException("a replica wrote a summary that does not decode");
        return summary;
    }

    /// <summary>What <paramref name="requester"/> fetches after seeing <paramref name="holder"/>'s summary, and the answer's deltas.</summary>
    public static List<byte[]> Pull(VoteSet requester, uint requesterIndex, VoteSet holder, uint holderIndex)
    {
        var deltas = new List<byte[]>();
        var fetchOutput = new ArrayBufferWriter<byte>();
        if (!requester.TryWriteFetch(Summary(holder, holderIndex), requesterIndex, fetchOutput))
            return deltas;
        if (!VoteFetch.TryDecode(new ReadOnlySequence<byte>(fetchOutput.WrittenMemory), out var fetch).IsOk)
            throw new InvalidOperationException("a replica wrote a fetch that does not decode");
        var cursor = 0u;
        while (true)
        {
            var output = new ArrayBufferWriter<byte>();
            if (!holder.TryWriteFetchAnswer(fetch, ref cursor, output))
                return deltas;
            deltas.Add(output.WrittenSpan.ToArray());
        }
    }

    /// <summary>
    /// One anti-entropy pass over every ordered pair: b pulls, decision by decision, what a's summary shows b lacks.
    /// <paramref name="receive"/> delivers a delta to a replica.
    /// </summary>
    public static void AntiEntropy(IReadOnlyList<VoteSet> replicas, Action<int, byte[]> receive)
    {
        for (var a = 0; a < replicas.Count; a++)
        {
            for (var b = 0; b < replicas.Count; b++)
            {
                if (a == b)
                    continue;
                foreach (var delta in Pull(replicas[b], (uint)b, replicas[a], (uint)a))
                    receive(b, delta);
            }
        }
    }
}
