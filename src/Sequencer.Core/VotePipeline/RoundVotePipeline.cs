using System.Buffers;
using Sequencer.Core.Consensus;
using Sequencer.Core.Crdt;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>
/// One round's vote intake at a buddy (DESIGN §3 step 6), and at any node that folds votes: votes from direct streams
/// and entries of CRDT deltas go through
/// <list type="number">
/// <item>decode into the fixed-size <see cref="Vote"/> struct (from any buffer segmentation, no allocation);</item>
/// <item>the round's fields (chain, height, block, directory) and the voter index against the roster;</item>
/// <item>the voter's slot in the <see cref="VoteSet"/>: a vote already held or being verified is dropped here, before
/// any signature work, and a voter's second, different decision is let through once, as an equivocation candidate;</item>
/// <item>signature verification by the <see cref="VoteVerifier"/> (inline or on workers, in batches);</item>
/// <item>the fold: the vote enters the set and its weight the lock-free tally, or, for an equivocation, both votes are
/// kept and the voter's weight leaves the tally.</item>
/// </list>
/// A vote is verified at most once per node: only the thread that claims a slot verifies it. Every step is safe to
/// call from any number of threads at once; in inline mode with one caller the pipeline is deterministic.
/// </summary>
public sealed class RoundVotePipeline
{
    private readonly RoundId _round;
    private readonly VoteVerifier _verifier;
    private readonly IVotePipelineEvents? _events;
    private int _closed;
    private int _acceptQuorumReached;
    private int _rejectQuorumReached;

    /// <param name="round">The round whose votes this pipeline takes; any other round's are <see cref="VoteOutcome.WrongRound"/>.</param>
    /// <param name="roster">The directory's keys and weights; its hash is the directory every vote must bind.</param>
    /// <param name="verifier"><see cref="VoteVerifier.Inline"/> or a node's <see cref="ThreadedVoteVerifier"/>.</param>
    /// <param name="events">Where verdicts of queued votes and quorum crossings go, if anywhere.</param>
    public RoundVotePipeline(in RoundId round, VoterRoster roster, VoteVerifier verifier, IVotePipelineEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _round = round;
        _verifier = verifier;
        _events = events;
        Votes = new VoteSet(round, roster);
    }

    public RoundId Round => _round;

    public VoterRoster Roster => Votes.Roster;

    /// <summary>The round's vote set (the CRDT: summaries, fetches, deltas) holding every vote verified here.</summary>
    public VoteSet Votes { get; }

    public VoteTallySnapshot Tally => Votes.Tally;

    public VotePipelineCounters Counters { get; } = new();

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Whether <see cref="IVotePipelineEvents.OnQuorumReached"/> has been raised for <paramref name="decision"/>.</summary>
    public bool HasReachedQuorum(Decision decision) =>
        Volatile.Read(ref decision == Decision.Accept ? ref _acceptQuorumReached : ref _rejectQuorumReached) != 0;

    /// <summary>
    /// Ends intake: later submissions are <see cref="VoteOutcome.RoundClosed"/>, and queued votes not yet verified are
    /// dropped unverified with that outcome. The set and tally keep what they hold.
    /// </summary>
    public void Close() => Volatile.Write(ref _closed, 1);

    /// <summary>Offers one encoded <see cref="Vote"/> (a direct stream's payload, any segmentation; the bytes are not kept).</summary>
    /// <param name="token">Returned with the verdict if the vote is queued (e.g. the request to acknowledge).</param>
    /// <exception cref="ObjectDisposedException">The pipeline's threaded verifier has been disposed.</exception>
    public VoteOutcome Submit(ReadOnlySequence<byte> encodedVote, long token = 0)
    {
        if (IsClosed)
            return Counters.Count(VoteOutcome.RoundClosed);
        return Vote.TryDecode(encodedVote, out var vote).IsOk ? Submit(vote, token) : Counters.Count(VoteOutcome.Malformed);
    }

    /// <summary>Offers one decoded vote.</summary>
    /// <param name="token">Returned with the verdict if the vote is queued.</param>
    /// <exception cref="ObjectDisposedException">The pipeline's threaded verifier has been disposed.</exception>
    public VoteOutcome Submit(in Vote vote, long token = 0)
    {
        if (IsClosed)
            return Counters.Count(VoteOutcome.RoundClosed);
        if (!vote.Validate().IsOk)
            return Counters.Count(VoteOutcome.Malformed);
        if (vote.Round != _round || vote.DirectoryHash != Roster.DirectoryHash)
            return Counters.Count(VoteOutcome.WrongRound);
        return SubmitEntry(vote.VoterIndex, vote.Decision, vote.Signature, token);
    }

    /// <summary>Offers an encoded <see cref="VoteSetDelta"/> (from the CRDT topic, or answering a fetch).</summary>
    /// <param name="token">Returned with every queued entry's verdict (e.g. which peer sent the delta).</param>
    /// <exception cref="ObjectDisposedException">The pipeline's threaded verifier has been disposed.</exception>
    public DeltaSubmission SubmitDelta(ReadOnlySequence<byte> encodedDelta, long token = 0)
    {
        if (IsClosed)
            return DeltaSubmission.Refused(Counters.Count(VoteOutcome.RoundClosed));
        return VoteSetDelta.TryDecode(encodedDelta, out var delta).IsOk
            ? SubmitDelta(delta, token)
            : DeltaSubmission.Refused(Counters.Count(VoteOutcome.Malformed));
    }

    /// <summary>Offers a decoded delta; its entries must still be readable (they borrow the input buffer).</summary>
    /// <exception cref="ObjectDisposedException">The pipeline's threaded verifier has been disposed.</exception>
    public DeltaSubmission SubmitDelta(in VoteSetDelta delta, long token = 0)
    {
        if (IsClosed)
            return DeltaSubmission.Refused(Counters.Count(VoteOutcome.RoundClosed));
        if (delta.Round != _round || delta.DirectoryHash != Roster.DirectoryHash)
            return DeltaSubmission.Refused(Counters.Count(VoteOutcome.WrongRound));
        int recorded = 0, equivocations = 0, duplicates = 0, queued = 0, rejected = 0, deferred = 0;
        foreach (var entry in delta)
        {
            switch (SubmitEntry(entry.VoterIndex, entry.Decision, entry.Signature, token))
            {
                case VoteOutcome.Recorded: recorded++; break;
                case VoteOutcome.Equivocation: equivocations++; break;
                case VoteOutcome.Duplicate: duplicates++; break;
                case VoteOutcome.Queued: queued++; break;
                case VoteOutcome.Contended or VoteOutcome.Busy: deferred++; break;
                case VoteOutcome.RoundClosed: break; // closed while the delta was being taken: dropped with the round
                default: rejected++; break;
            }
        }
        return new DeltaSubmission(null, recorded, equivocations, duplicates, queued, rejected, deferred);
    }

    /// <summary>
    /// Verifies a claimed vote with <paramref name="context"/> (the caller's libsecp256k1 context) and completes or
    /// releases its slot. Called by the verifier exactly once per successful claim.
    /// </summary>
    internal VoteOutcome VerifyClaimed(nint context, uint voterIndex, Decision decision)
    {
        if (IsClosed)
        {
            Votes.Release(voterIndex, decision);
            return Counters.Count(VoteOutcome.RoundClosed);
        }
        Span<byte> digest = stackalloc byte[Hash32.Length];
        Vote.ComputeSigningDigest(_round, Roster.DirectoryHash, voterIndex, decision, digest);
        Counters.CountVerification();
        var signature = Votes.ClaimedSignature(voterIndex, decision).AsReadOnlySpan();
        if (!Roster.GetKey(voterIndex).Verify(context, digest, signature))
        {
            Votes.Release(voterIndex, decision);
            return Counters.Count(VoteOutcome.BadSignature);
        }
        var completion = Votes.Complete(voterIndex, decision);
        if (completion.WeightStands)
            RaiseIfQuorum(decision, completion.SideWeight);
        return Counters.Count(completion.IsEquivocation ? VoteOutcome.Equivocation : VoteOutcome.Recorded);
    }

    internal void ReportVerdicts(ReadOnlySpan<VoteVerdict> verdicts) => _events?.OnVotesVerified(this, verdicts);

    private VoteOutcome SubmitEntry(uint voterIndex, Decision decision, in SchnorrSignature signature, long token)
    {
        if (voterIndex >= (uint)Roster.Count)
            return Counters.Count(VoteOutcome.UnknownVoter);
        _verifier.ThrowIfUnusable();
        switch (Votes.TryClaim(voterIndex, decision, signature))
        {
            case SlotClaim.Duplicate:
                return Counters.Count(VoteOutcome.Duplicate);
            case SlotClaim.Contended:
                return Counters.Count(VoteOutcome.Contended);
        }
        var outcome = _verifier.Verify(this, voterIndex, decision, token);
        if (outcome == VoteOutcome.Busy)
        {
            Votes.Release(voterIndex, decision);
            Counters.Count(VoteOutcome.Busy);
        }
        return outcome;
    }

    /// <summary>Rules 1 and 2 on the weight this vote's addition produced; the first crossing raises the event.</summary>
    private void RaiseIfQuorum(Decision decision, ulong sideWeight)
    {
        var total = Roster.TotalWeight;
        var reached = decision == Decision.Accept
            ? QuorumRules.IsAcceptQuorum(sideWeight, total)
            : QuorumRules.IsRejectQuorum(sideWeight, total);
        if (!reached)
            return;
        ref var flag = ref decision == Decision.Accept ? ref _acceptQuorumReached : ref _rejectQuorumReached;
        if (Interlocked.Exchange(ref flag, 1) == 0)
            _events?.OnQuorumReached(this, decision, Tally);
    }
}
