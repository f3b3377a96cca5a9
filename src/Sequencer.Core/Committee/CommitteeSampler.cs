using System.Buffers.Binary;
using Sequencer.Core.Crypto;

namespace Sequencer.Core.Committee;

/// <summary>
/// Draws an ordered, weighted sample without replacement from the VRF output β (DESIGN §3 step 1). Anyone holding the
/// directory and a verified proof re-derives exactly the same order, so the committee is verifiable, and because β is
/// unpredictable before the proof exists and the proof is unique for the key and α, the sequencer cannot choose it.
/// </summary>
/// <remarks>
/// <para>Randomness: a counter-mode stream <c>TaggedHash("jmzk/sequencer/committee-sample/v1", β ‖ counter)</c>, four
/// 64-bit big-endian words per block. Each draw maps a word to <c>[0, remainingWeight)</c> by rejection sampling
/// (words below <c>2^64 mod R</c> are discarded), so every unit of weight is exactly equally likely: no modulo bias
/// and no floating point anywhere.</para>
/// <para>Selection: the drawn point falls in one candidate's interval of the cumulative remaining weight; that
/// candidate is taken and its weight leaves the pool. Candidates with zero weight are never drawn. Cost is
/// O(candidates × count): 10,000 validators × 23 seats is a quarter of a million additions, negligible next to one
/// signature check per vote.</para>
/// <para>The caller's candidate order matters (it is part of the consensus rules): pass them in directory order.
/// Only validators that may serve are candidates: <see cref="CommitteeSeats"/> leaves out the sequencer and every
/// voter-only validator (<see cref="Validators.ValidatorInfo.IsBuddyEligible"/>), so fewer than
/// <c>count</c> may come back.</para>
/// </remarks>
public static class CommitteeSampler
{
    private static readonly TaggedHash s_stream = new("jmzk/sequencer/committee-sample/v1");

    /// <summary>
    /// Returns up to <paramref name="count"/> distinct validator indices in draw order (fewer when fewer candidates
    /// have positive weight).
    /// </summary>
    /// <exception cref="ArgumentException">β is not 32 bytes, weights overflow 64 bits, or an index repeats.</exception>
    public static int[] Select(ReadOnlySpan<byte> vrfOutput, ReadOnlySpan<WeightedCandidate> candidates, int count)
    {
        if (vrfOutput.Length != 32)
            throw new ArgumentException($"the VRF output must be 32 bytes, not {vrfOutput.Length}", nameof(vrfOutput));
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        var remainingWeight = 0UL;
        var eligible = 0;
        var seen = new HashSet<int>(candidates.Length);
        foreach (var candidate in candidates)
        {
            if (!seen.Add(candidate.ValidatorIndex))
                throw new ArgumentException($"validator index {candidate.ValidatorIndex} appears twice", nameof(candidates));
            if (candidate.Weight == 0)
                continue;
            eligible++;
            remainingWeight = checked(remainingWeight + candidate.Weight);
        }

        var selected = new int[Math.Min(count, eligible)];
        var taken = new bool[candidates.Length];
        var stream = new RandomStream(vrfOutput);
        for (var seat = 0; seat < selected.Length; seat++)
        {
            var point = stream.NextBelow(remainingWeight);
            var position = PositionOf(point, candidates, taken);
            taken[position] = true;
            selected[seat] = candidates[position].ValidatorIndex;
            remainingWeight -= candidates[position].Weight;
        }
        return selected;
    }

    private static int PositionOf(ulong point, ReadOnlySpan<WeightedCandidate> candidates, bool[] taken)
    {
        var cumulative = 0UL;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (taken[i] || candidates[i].Weight == 0)
                continue;
            cumulative += candidates[i].Weight;
            if (point < cumulative)
                return i;
        }
        // Unreachable: point < remaining weight, which is exactly the sum walked above.
        throw new InvalidOperationException("committee sampling walked past the remaining weight");
    }

    /// <summary>The deterministic word stream derived from β.</summary>
    private struct RandomStream(ReadOnlySpan<byte> seed)
    {
        private readonly byte[] _input = CreateInput(seed);
        private readonly byte[] _block = new byte[32];
        private ulong _counter;
        private int _nextWord = 4;

        public ulong NextBelow(ulong bound)
        {
            // 2^64 mod bound, computed without 128-bit arithmetic: (2^64 − bound) mod bound.
            var rejectBelow = (0UL - bound) % bound;
            while (true)
            {
                var word = NextWord();
                if (word >= rejectBelow)
                    return word % bound;
            }
        }

        private ulong NextWord()
        {
            if (_nextWord == 4)
            {
                BinaryPrimitives.WriteUInt64BigEndian(_input.AsSpan(32), _counter++);
                s_stream.Compute(_input, _block);
                _nextWord = 0;
            }
            return BinaryPrimitives.ReadUInt64BigEndian(_block.AsSpan(8 * _nextWord++));
        }

        private static byte[] CreateInput(ReadOnlySpan<byte> seed)
        {
            var input = new byte[40];
            seed.CopyTo(input);
            return input;
        }
    }
}
