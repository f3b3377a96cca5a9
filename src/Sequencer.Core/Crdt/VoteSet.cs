using System.Buffers;
using Sequencer.Core.Primitives;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Crdt;

/// <summary>
/// One round's votes as a state-based CRDT (DESIGN §3 step 7): a grow-only map voterIndex → signed vote whose merge
/// is union. A voter with two different verified votes (an Accept and a Reject) keeps both, as equivocation
/// evidence, and its weight counts for neither side; a tally of the weights is kept beside the map, lock-free, and
/// always equals the weight recomputed from the map once no vote is in flight.
/// </summary>
/// <remarks>
/// <para><b>Only verified votes enter.</b> The set does not check signatures; <see cref="RoundVotePipeline"/> claims a
/// voter's slot, verifies, then completes or releases it (see <see cref="VoterSlot"/> for the state machine).
/// <see cref="Merge"/> joins another set's votes directly because that set's votes were verified when they entered it.</para>
/// <para><b>What identifies a vote.</b> A vote is (voter, decision) within the set's round and directory; its
/// signature is the witness. Two valid signatures over one digest are interchangeable evidence, so the set keeps the
/// first it verified and drops later ones unverified: states are compared by (voter, decisions), which is what
/// <see cref="Merge"/> joins and what replicas converge to.</para>
/// <para><b>Sync.</b> New votes leave as deltas (<see cref="TryWriteNewDelta"/>, what was added since the last one);
/// a periodic summary (<see cref="WriteSummary"/>: which votes are held, one voter bitmap per decision) lets a peer
/// pull the votes it lacks (<see cref="TryWriteFetch"/> → <see cref="TryWriteFetchAnswer"/>). Per decision, because
/// per voter is not enough: with an equivocator's Accept at one replica, its Reject at another and every delta carrying
/// them lost, both replicas would "hold that voter" and never exchange the halves. Compared by decision, each replica
/// sees the half it lacks in the other's summary and fetches exactly that vote, so any routing of the two halves
/// converges once every replica has seen every other's summary.</para>
/// <para><b>Threads.</b> Claims, completions, reads and <see cref="Merge"/> may run on any threads at once. Writing
/// deltas, summaries and fetches is the owner's: <see cref="TryWriteNewDelta"/> has a single consumer.</para>
/// </remarks>
public sealed class VoteSet
{
    private readonly VoterSlot[] _slots;
    private readonly VoteTally _tally;

    // Every (voter, decision) that became verified, in order: voter·2 + (Reject ? 1 : 0) + 1, where 0 marks a position
    // reserved but not written yet. Each pair becomes verified at most once, so 2 × Count positions never run out.
    private readonly int[] _additions;
    private int _additionsReserved;
    private int _additionsSent;

    public VoteSet(in RoundId round, VoterRoster roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        Round = round;
        Roster = roster;
        _slots = new VoterSlot[roster.Count];
        _tally = new VoteTally(roster.TotalWeight);
        _additions = new int[2 * roster.Count];
    }

    public RoundId Round { get; }

    public VoterRoster Roster { get; }

    /// <summary>The tally as it stands (see <see cref="VoteTallySnapshot"/> for what a reading guarantees).</summary>
    public VoteTallySnapshot Tally => _tally.Read();

    /// <summary>The verified decisions held for <paramref name="voterIndex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The roster has no such voter.</exception>
    public VoterDecisions GetDecisions(uint voterIndex) => SlotOf(voterIndex).Verified;

    /// <summary>The signature of a verified vote, if the set holds it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The roster has no such voter.</exception>
    public bool TryGetSignature(uint voterIndex, Decision decision, out SchnorrSignature signature)
    {
        ref var slot = ref SlotOf(voterIndex);
        var held = (slot.Verified & ToDecisions(decision)) != 0;
        signature = held ? slot.SignatureOf(decision) : default;
        return held;
    }

    /// <summary>
    /// The CRDT join: adds every vote <paramref name="other"/> holds that this set lacks (both sets' votes are
    /// verified). Returns how many votes were added. A vote this set is verifying right now under a different
    /// signature is skipped; the next anti-entropy exchange brings it if that verification fails.
    /// </summary>
    /// <exception cref="ArgumentException">The sets belong to different rounds or directories.</exception>
    public int Merge(VoteSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Round != Round || other.Roster.DirectoryHash != Roster.DirectoryHash || other._slots.Length != _slots.Length)
            throw new ArgumentException(
                $"cannot merge the votes of {other.Round} (directory {other.Roster.DirectoryHash}, {other._slots.Length} voters) into {Round} (directory {Roster.DirectoryHash}, {_slots.Length} voters)",
                nameof(other));
        var added = 0;
        for (var voter = 0u; voter < (uint)_slots.Length; voter++)
        {
            var decisions = other._slots[voter].Verified;
            if ((decisions & VoterDecisions.Accept) != 0
                && JoinVerified(voter, Decision.Accept, other._slots[voter].SignatureOf(Decision.Accept)))
                added++;
            if ((decisions & VoterDecisions.Reject) != 0
                && JoinVerified(voter, Decision.Reject, other._slots[voter].SignatureOf(Decision.Reject)))
                added++;
        }
        return added;
    }

    /// <summary>
    /// Writes a <see cref="VoteSetSummary"/> of the votes held verified, decision by decision, sent as
    /// <paramref name="senderIndex"/>.
    /// </summary>
    public void WriteSummary(uint senderIndex, IBufferWriter<byte> output)
    {
        var length = VoterBitmap.GetByteLength(_slots.Length);
        var bitmaps = ArrayPool<byte>.Shared.Rent(2 * length);
        try
        {
            var accepts = bitmaps.AsSpan(0, length);
            var rejects = bitmaps.AsSpan(length, length);
            accepts.Clear();
            rejects.Clear();
            for (var voter = 0u; voter < (uint)_slots.Length; voter++)
            {
                var decisions = _slots[voter].Verified;
                if ((decisions & VoterDecisions.Accept) != 0)
                    VoterBitmap.Set(accepts, voter);
                if ((decisions & VoterDecisions.Reject) != 0)
                    VoterBitmap.Set(rejects, voter);
            }
            var held = new VoteBitmaps(new VoterBitmap(bitmaps.AsMemory(0, length)), new VoterBitmap(bitmaps.AsMemory(length, length)));
            new VoteSetSummary { Round = Round, SenderIndex = senderIndex, Held = held }.Encode(output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bitmaps);
        }
    }

    /// <summary>
    /// Given a peer's summary, writes a <see cref="VoteFetch"/> (as <paramref name="requesterIndex"/>) for the votes it
    /// holds that this set neither holds nor is verifying, decision by decision: the other half of an equivocation
    /// is asked for even when this set holds the first. False, and nothing written, when there are none.
    /// </summary>
    /// <exception cref="ArgumentException">The summary is for another round.</exception>
    public bool TryWriteFetch(in VoteSetSummary peerSummary, uint requesterIndex, IBufferWriter<byte> output)
    {
        RequireRound(peerSummary.Round, nameof(peerSummary));
        var length = VoterBitmap.GetByteLength(_slots.Length);
        var bitmaps = ArrayPool<byte>.Shared.Rent(2 * length);
        try
        {
            var accepts = bitmaps.AsSpan(0, length);
            var rejects = bitmaps.AsSpan(length, length);
            accepts.Clear();
            rejects.Clear();
            var any = false;
            foreach (var held in peerSummary.Held)
            {
                if (held.Voter >= (uint)_slots.Length)
                    break;
                ref var slot = ref _slots[held.Voter];
                if (held.Accept && slot.Lacks(Decision.Accept))
                {
                    VoterBitmap.Set(accepts, held.Voter);
                    any = true;
                }
                if (held.Reject && slot.Lacks(Decision.Reject))
                {
                    VoterBitmap.Set(rejects, held.Voter);
                    any = true;
                }
            }
            if (any)
            {
                var wanted = new VoteBitmaps(new VoterBitmap(bitmaps.AsMemory(0, length)), new VoterBitmap(bitmaps.AsMemory(length, length)));
                new VoteFetch { Round = Round, RequesterIndex = requesterIndex, Wanted = wanted }.Encode(output);
            }
            return any;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bitmaps);
        }
    }

    /// <summary>
    /// Answers a fetch: writes one <see cref="VoteSetDelta"/> with exactly the wanted votes held verified — a wanted
    /// Reject of a voter whose Accept is also held leaves without that Accept — from voter <paramref name="nextVoter"/>
    /// on, up to the delta bound; advances the cursor. Call with the cursor at 0, then again while it returns true
    /// (each true is one delta written); false means nothing more to send.
    /// </summary>
    /// <exception cref="ArgumentException">The fetch is for another round.</exception>
    public bool TryWriteFetchAnswer(in VoteFetch fetch, ref uint nextVoter, IBufferWriter<byte> output)
    {
        RequireRound(fetch.Round, nameof(fetch));
        var entries = ArrayPool<VoteSetEntry>.Shared.Rent(WireLimits.MaxVoteSetDeltaEntries);
        try
        {
            var count = 0;
            var resumeAt = (uint)_slots.Length;
            foreach (var wanted in fetch.Wanted)
            {
                if (wanted.Voter < nextVoter)
                    continue;
                if (wanted.Voter >= (uint)_slots.Length)
                    break;
                var decisions = _slots[wanted.Voter].Verified;
                var accept = wanted.Accept && (decisions & VoterDecisions.Accept) != 0;
                var reject = wanted.Reject && (decisions & VoterDecisions.Reject) != 0;
                if (count + (accept ? 1 : 0) + (reject ? 1 : 0) > WireLimits.MaxVoteSetDeltaEntries)
                {
                    resumeAt = wanted.Voter;
                    break;
                }
                // Ascending voters, Accept before Reject: the delta's canonical order.
                if (accept)
                    entries[count++] = EntryOf(wanted.Voter, Decision.Accept);
                if (reject)
                    entries[count++] = EntryOf(wanted.Voter, Decision.Reject);
            }
            nextVoter = resumeAt;
            if (count == 0)
                return false;
            VoteSetDelta.Encode(output, Round, Roster.DirectoryHash, entries.AsSpan(0, count));
            return true;
        }
        finally
        {
            ArrayPool<VoteSetEntry>.Shared.Return(entries);
        }
    }

    /// <summary>
    /// Writes one <see cref="VoteSetDelta"/> of the votes verified since the last delta (up to the delta bound, the
    /// oldest first); false, and nothing written, when there are none. Call again while it returns true. Single
    /// consumer: only the set's owner calls this.
    /// </summary>
    public bool TryWriteNewDelta(IBufferWriter<byte> output)
    {
        Span<int> keys = stackalloc int[WireLimits.MaxVoteSetDeltaEntries];
        var sent = _additionsSent;
        var reserved = Math.Min(Volatile.Read(ref _additionsReserved), _additions.Length);
        var count = 0;
        // Stop at the first position reserved but not yet written: it is sent next time, in order.
        while (sent < reserved && count < keys.Length)
        {
            var addition = Volatile.Read(ref _additions[sent]);
            if (addition == 0)
                break;
            keys[count++] = addition - 1;
            sent++;
        }
        if (count == 0)
            return false;

        // Deltas list entries in ascending (voter, decision); voter·2 + side sorts exactly that way.
        keys[..count].Sort();
        var entries = ArrayPool<VoteSetEntry>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var voter = (uint)keys[i] >> 1;
                var decision = (keys[i] & 1) == 0 ? Decision.Accept : Decision.Reject;
                entries[i] = new VoteSetEntry { VoterIndex = voter, Decision = decision, Signature = _slots[voter].SignatureOf(decision) };
            }
            VoteSetDelta.Encode(output, Round, Roster.DirectoryHash, entries.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<VoteSetEntry>.Shared.Return(entries);
        }
        _additionsSent = sent;
        return true;
    }

    internal SlotClaim TryClaim(uint voterIndex, Decision decision, in SchnorrSignature signature) =>
        _slots[voterIndex].TryClaim(decision, signature);

    /// <summary>The signature the claimant of a Pending side stored.</summary>
    internal ref readonly SchnorrSignature ClaimedSignature(uint voterIndex, Decision decision) =>
        ref _slots[voterIndex].SignatureOf(decision);

    internal void Release(uint voterIndex, Decision decision) => _slots[voterIndex].Release(decision);

    /// <summary>Completes a claimed, verified vote: tally, then the additions log for the next delta.</summary>
    internal SlotCompletion Complete(uint voterIndex, Decision decision)
    {
        var completion = _slots[voterIndex].Complete(decision, Roster.GetWeight(voterIndex), _tally);
        var position = Interlocked.Increment(ref _additionsReserved) - 1;
        Volatile.Write(ref _additions[position], (int)(voterIndex * 2 + (decision == Decision.Reject ? 1u : 0u) + 1));
        return completion;
    }

    /// <summary>Adds a vote known to be verified: claim, then complete. False if the set held it or was verifying it.</summary>
    internal bool JoinVerified(uint voterIndex, Decision decision, in SchnorrSignature signature)
    {
        if (TryClaim(voterIndex, decision, signature) != SlotClaim.Claimed)
            return false;
        Complete(voterIndex, decision);
        return true;
    }

    /// <summary>The tally recomputed from the held votes (what <see cref="Tally"/> must equal at quiescence).</summary>
    internal VoteTallySnapshot RecomputeTally()
    {
        ulong accept = 0, reject = 0, equivocated = 0;
        int acceptVoters = 0, rejectVoters = 0, equivocators = 0;
        for (var voter = 0u; voter < (uint)_slots.Length; voter++)
        {
            switch (_slots[voter].Verified)
            {
                case VoterDecisions.Accept:
                    accept += Roster.GetWeight(voter);
                    acceptVoters++;
                    break;
                case VoterDecisions.Reject:
                    reject += Roster.GetWeight(voter);
                    rejectVoters++;
                    break;
                case VoterDecisions.Equivocated:
                    equivocated += Roster.GetWeight(voter);
                    equivocators++;
                    break;
            }
        }
        return new VoteTallySnapshot(accept, reject, acceptVoters, rejectVoters, equivocators, equivocated, Roster.TotalWeight);
    }

    /// <summary>Same round, directory and (voter, decisions) for every voter: equal CRDT states.</summary>
    internal bool HasSameVotes(VoteSet other)
    {
        if (other.Round != Round || other.Roster.DirectoryHash != Roster.DirectoryHash || other._slots.Length != _slots.Length)
            return false;
        for (var voter = 0; voter < _slots.Length; voter++)
        {
            if (_slots[voter].Verified != other._slots[voter].Verified)
                return false;
        }
        return true;
    }

    private VoteSetEntry EntryOf(uint voter, Decision decision) =>
        new() { VoterIndex = voter, Decision = decision, Signature = _slots[voter].SignatureOf(decision) };

    private ref VoterSlot SlotOf(uint voterIndex)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(voterIndex, (uint)_slots.Length);
        return ref _slots[voterIndex];
    }

    private void RequireRound(in RoundId round, string parameter)
    {
        if (round != Round)
            throw new ArgumentException($"a message of {round} given to the vote set of {Round}", parameter);
    }

    private static VoterDecisions ToDecisions(Decision decision) =>
        decision == Decision.Accept ? VoterDecisions.Accept : VoterDecisions.Reject;
}
