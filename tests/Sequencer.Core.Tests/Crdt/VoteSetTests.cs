using System.Buffers;
using Sequencer.Core.Crdt;
using Sequencer.Core.Primitives;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;
using static Sequencer.Core.Tests.VotePipeline.VoteFixture;

namespace Sequencer.Core.Tests.Crdt;

/// <summary>The vote set's sync messages: deltas, summaries, fetches and fetch answers.</summary>
public sealed class VoteSetTests
{
    private const int LargeCount = 1500;

    // The CRDT never verifies, so a large roster can repeat one key; signatures are labelled bytes.
    private static readonly VoterRoster LargeRoster = new(
        DirectoryHash, Enumerable.Repeat(Roster.GetKey(0), LargeCount).ToArray(), Enumerable.Repeat(1UL, LargeCount).ToArray());

    private static SchnorrSignature Label(uint voter, Decision decision)
    {
        var signature = default(SchnorrSignature);
        signature.AsSpan().Fill((byte)decision);
        BitConverter.TryWriteBytes(signature.AsSpan(), voter);
        return signature;
    }

    /// <summary>Everyone accepts; voters 0, 50, 100, … also reject (30 equivocators).</summary>
    private static VoteSet LargeSet()
    {
        var set = new VoteSet(Round, LargeRoster);
        for (var voter = 0u; voter < LargeCount; voter++)
        {
            set.JoinVerified(voter, Decision.Accept, Label(voter, Decision.Accept));
            if (voter % 50 == 0)
                set.JoinVerified(voter, Decision.Reject, Label(voter, Decision.Reject));
        }
        return set;
    }

    private static List<VoteSetEntry> Entries(byte[] delta)
    {
        Assert.True(VoteSetDelta.TryDecode(new ReadOnlySequence<byte>(delta), out var decoded).IsOk);
        Assert.Equal(Round, decoded.Round);
        Assert.Equal(DirectoryHash, decoded.DirectoryHash);
        var entries = new List<VoteSetEntry>();
        foreach (var entry in decoded)
            entries.Add(entry);
        return entries;
    }

    private static IEnumerable<VoteSetEntry> AllEntries(int count, Func<uint, bool> equivocates)
    {
        for (var voter = 0u; voter < count; voter++)
        {
            yield return new VoteSetEntry { VoterIndex = voter, Decision = Decision.Accept, Signature = Label(voter, Decision.Accept) };
            if (equivocates(voter))
                yield return new VoteSetEntry { VoterIndex = voter, Decision = Decision.Reject, Signature = Label(voter, Decision.Reject) };
        }
    }

    [Fact]
    public void NewDeltasCarryEachAddedVoteOnceWithinTheBoundAndThenOnlyWhatIsNew()
    {
        var set = LargeSet();
        var deltas = VoteSetSync.NewDeltas(set);

        Assert.Equal([WireLimits.MaxVoteSetDeltaEntries, LargeCount + 30 - WireLimits.MaxVoteSetDeltaEntries], deltas.Select(d => Entries(d).Count));
        Assert.Equal(AllEntries(LargeCount, voter => voter % 50 == 0), deltas.SelectMany(Entries).OrderBy(e => e.VoterIndex).ThenBy(e => e.Decision));
        Assert.Empty(VoteSetSync.NewDeltas(set));

        set.JoinVerified(7, Decision.Reject, Label(7, Decision.Reject));
        var next = Assert.Single(VoteSetSync.NewDeltas(set));
        Assert.Equal(new VoteSetEntry { VoterIndex = 7, Decision = Decision.Reject, Signature = Label(7, Decision.Reject) }, Assert.Single(Entries(next)));
    }

    [Fact]
    public void ASummaryListsTheVotesHeldDecisionByDecision()
    {
        var set = new VoteSet(Round, Roster);
        set.JoinVerified(2, Decision.Accept, Signed(2, Decision.Accept).Signature);
        set.JoinVerified(9, Decision.Reject, Signed(9, Decision.Reject).Signature);
        set.JoinVerified(9, Decision.Accept, Signed(9, Decision.Accept).Signature);
        set.JoinVerified(12, Decision.Reject, Signed(12, Decision.Reject).Signature);
        // A claim in flight is not held yet.
        Assert.Equal(SlotClaim.Claimed, set.TryClaim(11, Decision.Accept, Signed(11, Decision.Accept).Signature));
        Assert.Equal(SlotClaim.Claimed, set.TryClaim(2, Decision.Reject, Signed(2, Decision.Reject).Signature));

        var summary = VoteSetSync.Summary(set, 4);
        Assert.Equal(Round, summary.Round);
        Assert.Equal(4u, summary.SenderIndex);
        Assert.Equal([2u, 9u], Bits(summary.Held.Accepts));
        Assert.Equal([9u, 12u], Bits(summary.Held.Rejects));
        Assert.Equal([(2u, true, false), (9u, true, true), (12u, false, true)], Walk(summary.Held));
    }

    [Fact]
    public void AFetchAsksForEachVoteThePeerHoldsAndWeNeitherHoldNorVerify()
    {
        var peer = new VoteSet(Round, Roster);
        foreach (var voter in new uint[] { 1, 2, 3, 5, 7 })
            peer.JoinVerified(voter, Decision.Accept, Signed(voter, Decision.Accept).Signature);
        peer.JoinVerified(7, Decision.Reject, Signed(7, Decision.Reject).Signature);
        peer.JoinVerified(8, Decision.Reject, Signed(8, Decision.Reject).Signature);
        var us = new VoteSet(Round, Roster);
        us.JoinVerified(2, Decision.Reject, Signed(2, Decision.Reject).Signature);
        us.JoinVerified(7, Decision.Accept, Signed(7, Decision.Accept).Signature);
        us.JoinVerified(8, Decision.Reject, Signed(8, Decision.Reject).Signature);
        Assert.Equal(SlotClaim.Claimed, us.TryClaim(3, Decision.Accept, Signed(3, Decision.Accept).Signature));

        var output = new ArrayBufferWriter<byte>();
        Assert.True(us.TryWriteFetch(VoteSetSync.Summary(peer, 0), 6, output));
        Assert.True(VoteFetch.TryDecode(new ReadOnlySequence<byte>(output.WrittenMemory), out var fetch).IsOk);
        Assert.Equal(6u, fetch.RequesterIndex);
        // Voter 2: we hold its Reject, the peer its Accept — the other half of an equivocation, asked for alone.
        // Voter 7: we hold its Accept; only its Reject is asked for.
        Assert.Equal([1u, 2u, 5u], Bits(fetch.Wanted.Accepts));
        Assert.Equal([7u], Bits(fetch.Wanted.Rejects));

        var answer = Assert.Single(VoteSetSync.Pull(us, 6, peer, 0));
        Assert.Equal([(1u, Decision.Accept), (2u, Decision.Accept), (5u, Decision.Accept), (7u, Decision.Reject)],
            Entries(answer).Select(e => (e.VoterIndex, e.Decision)));
    }

    [Fact]
    public void AFetchAnswerCarriesExactlyTheWantedVotesHeld()
    {
        var holder = new VoteSet(Round, Roster);
        foreach (var voter in new uint[] { 4, 6 })
        {
            holder.JoinVerified(voter, Decision.Accept, Signed(voter, Decision.Accept).Signature);
            holder.JoinVerified(voter, Decision.Reject, Signed(voter, Decision.Reject).Signature);
        }
        holder.JoinVerified(5, Decision.Accept, Signed(5, Decision.Accept).Signature);
        var accepts = new byte[2];
        var rejects = new byte[2];
        VoterBitmap.Set(accepts, 6);
        VoterBitmap.Set(accepts, 9); // not held: left out
        VoterBitmap.Set(rejects, 4);
        VoterBitmap.Set(rejects, 5); // not held: left out
        var fetch = new VoteFetch { Round = Round, RequesterIndex = 1, Wanted = new VoteBitmaps(new VoterBitmap(accepts), new VoterBitmap(rejects)) };

        var cursor = 0u;
        var output = new ArrayBufferWriter<byte>();
        Assert.True(holder.TryWriteFetchAnswer(fetch, ref cursor, output));
        Assert.Equal([(4u, Decision.Reject), (6u, Decision.Accept)], Entries(output.WrittenSpan.ToArray()).Select(e => (e.VoterIndex, e.Decision)));
        Assert.False(holder.TryWriteFetchAnswer(fetch, ref cursor, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void NothingToFetchWritesNothing()
    {
        var peer = new VoteSet(Round, Roster);
        peer.JoinVerified(1, Decision.Accept, Signed(1, Decision.Accept).Signature);
        peer.JoinVerified(2, Decision.Reject, Signed(2, Decision.Reject).Signature);
        var us = new VoteSet(Round, Roster);
        us.JoinVerified(1, Decision.Accept, Signed(1, Decision.Accept).Signature);
        us.JoinVerified(1, Decision.Reject, Signed(1, Decision.Reject).Signature);
        us.JoinVerified(2, Decision.Reject, Signed(2, Decision.Reject).Signature);
        var output = new ArrayBufferWriter<byte>();
        Assert.False(us.TryWriteFetch(VoteSetSync.Summary(peer, 0), 1, output));
        Assert.False(us.TryWriteFetch(VoteSetSync.Summary(new VoteSet(Round, Roster), 0), 1, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void VotersBeyondTheRosterInAPeersBitmapsAreIgnored()
    {
        var accepts = new byte[VoterBitmap.GetByteLength(VoterCount + 9)];
        VoterBitmap.Set(accepts, 3);
        VoterBitmap.Set(accepts, VoterCount + 8);
        var rejects = new byte[VoterBitmap.GetByteLength(VoterCount + 1)];
        VoterBitmap.Set(rejects, VoterCount);
        var held = new VoteBitmaps(new VoterBitmap(accepts), new VoterBitmap(rejects));
        var summary = new VoteSetSummary { Round = Round, SenderIndex = 1, Held = held };
        var output = new ArrayBufferWriter<byte>();
        Assert.True(new VoteSet(Round, Roster).TryWriteFetch(summary, 2, output));
        Assert.True(VoteFetch.TryDecode(new ReadOnlySequence<byte>(output.WrittenMemory), out var fetch).IsOk);
        Assert.Equal([3u], Bits(fetch.Wanted.Accepts));
        Assert.Empty(Bits(fetch.Wanted.Rejects));
    }

    [Fact]
    public void AFetchAnswerSpansSeveralDeltasWithoutSplittingAVotersVotes()
    {
        var holder = LargeSet();
        var deltas = VoteSetSync.Pull(new VoteSet(Round, LargeRoster), 1, holder, 0);

        Assert.True(deltas.Count >= 2);
        var perDelta = deltas.Select(Entries).ToList();
        Assert.All(perDelta, entries => Assert.InRange(entries.Count, 1, WireLimits.MaxVoteSetDeltaEntries));
        Assert.Equal(AllEntries(LargeCount, voter => voter % 50 == 0), perDelta.SelectMany(entries => entries));
        var voterDelta = perDelta.SelectMany((entries, i) => entries.Select(e => (e.VoterIndex, Delta: i))).Distinct();
        Assert.Equal(LargeCount, voterDelta.Count());
    }

    [Fact]
    public void TheTwoHalvesOfAnEquivocationHeldApartMeetThroughSummariesAndFetches()
    {
        var left = new VoteSet(Round, Roster);
        var right = new VoteSet(Round, Roster);
        left.JoinVerified(4, Decision.Accept, Signed(4, Decision.Accept).Signature);
        right.JoinVerified(4, Decision.Reject, Signed(4, Decision.Reject).Signature);
        left.JoinVerified(5, Decision.Accept, Signed(5, Decision.Accept).Signature);
        right.JoinVerified(5, Decision.Accept, Signed(5, Decision.Accept).Signature);

        foreach (var delta in VoteSetSync.Pull(left, 0, right, 1))
            VoteSetSync.JoinDelta(left, delta);
        foreach (var delta in VoteSetSync.Pull(right, 1, left, 0))
            VoteSetSync.JoinDelta(right, delta);

        var expected = new VoteTallySnapshot(Weight(5), 0, 1, 0, 1, Weight(4), Roster.TotalWeight);
        Assert.All([left, right], set =>
        {
            Assert.Equal(VoterDecisions.Equivocated, set.GetDecisions(4));
            Assert.Equal(expected, set.Tally);
        });
        Assert.Empty(VoteSetSync.Pull(left, 0, right, 1));
    }

    [Fact]
    public void MessagesOfAnotherRoundAreRefused()
    {
        var other = new RoundId(Round.ChainId, Round.Height + 1, Round.BlockHash);
        var set = new VoteSet(Round, Roster);
        var foreign = new VoteSet(other, Roster);
        foreign.JoinVerified(1, Decision.Accept, Signed(1, Decision.Accept).Signature);
        var summary = VoteSetSync.Summary(foreign, 0);
        var fetch = new VoteFetch { Round = other, RequesterIndex = 0, Wanted = new VoteBitmaps(new VoterBitmap(new byte[] { 2 }), default) };
        var output = new ArrayBufferWriter<byte>();
        var cursor = 0u;

        Assert.Throws<ArgumentException>(() => set.Merge(foreign));
        Assert.Throws<ArgumentException>(() => set.Merge(new VoteSet(Round, LargeRoster)));
        Assert.Throws<ArgumentException>(() => set.TryWriteFetch(summary, 1, output));
        Assert.Throws<ArgumentException>(() => set.TryWriteFetchAnswer(fetch, ref cursor, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void VotersOutsideTheRosterHaveNoDecisions()
    {
        var set = new VoteSet(Round, Roster);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.GetDecisions(VoterCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.TryGetSignature(VoterCount, Decision.Accept, out _));
    }

    private static List<(uint, bool, bool)> Walk(VoteBitmaps votes)
    {
        var entries = new List<(uint, bool, bool)>();
        foreach (var entry in votes)
            entries.Add((entry.Voter, entry.Accept, entry.Reject));
        return entries;
    }

    private static List<uint> Bits(VoterBitmap bitmap)
    {
        var bits = new List<uint>();
        foreach (var bit in bitmap)
            bits.Add(bit);
        return bits;
    }
}
