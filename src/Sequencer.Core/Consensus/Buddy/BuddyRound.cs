using Sequencer.Core.Committee;
using Sequencer.Core.Crdt;
using Sequencer.Core.Ports;
using Sequencer.Core.Safety;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Buddy;

/// <summary>
/// A committee member's side of one round (DESIGN §3 steps 6–8): votes arrive directly from voters and as deltas from
/// the other members, all through the round's <see cref="RoundVotePipeline"/> (dedupe, verify once, fold into the
/// tally); new votes leave as deltas on the CRDT topic; a periodic summary lets peers pull what they miss; and once the
/// verified votes satisfy rule 1 or rule 2 the buddy attests — once — and publishes its attestation. Loop-only, except
/// <see cref="IVotePipelineEvents"/>, which only posts to the loop.
/// </summary>
/// <remarks>
/// <para><b>Why a buddy attests at most once per height.</b> A certificate needs attestations of one value from more
/// than 2/3 of the committee. Two certificates of different values at one height would need two such quorums, which
/// overlap in more than n/3 members — at least one of them honest when at most f are faulty. So certificates can
/// conflict only if an honest buddy attests twice. <see cref="SafetyRules.SignAttestation"/> enforces "once per (chain,
/// height)" against its durable record (rule S2), across crashes; this class asks it at most once per round and
/// treats a refusal (say, it already attested another block at this height) as the end of its attesting, never as a
/// reason to retry with another value.</para>
/// <para><b>Why the attestation is durable before it is published.</b> The same record, written and fsynced before the
/// signature is returned (rule S3): a crash after publishing can never be followed by a different attestation.</para>
/// </remarks>
internal sealed class BuddyRound : IVotePipelineEvents
{
    private readonly NodeRuntime _runtime;
    private readonly Round _round;
    private readonly RoundVotePipeline _pipeline;
    private readonly Dictionary<long, (InboundRequestId Request, uint Voter)> _awaitingAck = [];
    private readonly HashSet<int> _fetching = [];
    private readonly Action _flushDeltas;
    private long _nextToken;
    private bool _flushScheduled;
    private bool _closed;
    private bool _attestingDone;
    private bool _withdrawn;
    private Attestation _attestation;

    /// <param name="invitation">The invitation accepted, or null for a member that learnt of its seat from the proposal.</param>
    public BuddyRound(NodeRuntime runtime, Round round, Invitation? invitation)
    {
        _runtime = runtime;
        _round = round;
        Invitation = invitation;
        _flushDeltas = FlushDeltas;
        _pipeline = new RoundVotePipeline(round.Id, runtime.RosterFor(round.Directory), runtime.Verifier, this);
    }

    /// <summary>The invitation this node accepted; null when it joined from the proposal, its invitation lost.</summary>
    public Invitation? Invitation { get; }

    public VoteSet Votes => _pipeline.Votes;

    /// <summary>The value this node attested in the round, once it did.</summary>
    public Decision? Attested { get; private set; }

    public void Start()
    {
        // Summaries start at a random point of the first interval, so members do not all publish at the same instant.
        var interval = _runtime.Options.AntiEntropyInterval;
        var first = interval / 2 + TimeSpan.FromTicks((long)(_runtime.Context.Random.NextDouble() * (interval.Ticks / 2)));
        _round.Triggers.Every(first, interval, OnAntiEntropyTick);
        if (_round.Committee is { } committee)
            OnCommitteeKnown(committee);
    }

    /// <summary>The proposal named the committee: check it is the one this node was invited to, then attest if a quorum is already there.</summary>
    public void OnCommitteeKnown(EffectiveCommittee committee)
    {
        var seats = committee.Seats;
        if (Invitation is { } invitation && (seats.SequencerIndex != (int)invitation.SequencerIndex
            || seats.Proof != invitation.Proof || committee.Deadline != invitation.Deadline))
        {
            // The sequencer proposed under another π or deadline than it invited this node with: it contradicts itself,
            // and this node serves no committee it was not invited to.
            _withdrawn = true;
            _runtime.Drop(DropReason.ConflictingProposal, seats.SequencerIndex);
            return;
        }
        if (_pipeline.HasReachedQuorum(Decision.Accept))
            TryAttest(Decision.Accept);
        else if (_pipeline.HasReachedQuorum(Decision.Reject))
            TryAttest(Decision.Reject);
    }

    /// <summary>A vote from a voter's direct stream; acknowledged once its fate is known (at once inline, later when queued).</summary>
    public void OnVote(InboundRequestId request, in Vote vote)
    {
        var token = ++_nextToken;
        var outcome = _pipeline.Submit(vote, token);
        if (outcome == VoteOutcome.Queued)
        {
            _awaitingAck.Add(token, (request, vote.VoterIndex));
            return;
        }
        Acknowledge(request, vote.VoterIndex, outcome);
    }

    /// <summary>This node's own vote, routed to itself: no acknowledgement, no network hop.</summary>
    public VoteOutcome SubmitOwnVote(in Vote vote)
    {
        var outcome = _pipeline.Submit(vote);
        if (outcome is VoteOutcome.Recorded or VoteOutcome.Equivocation)
        {
            _runtime.Observer.OnVotesVerified(_round.Id, 1);
            ScheduleDeltaFlush();
        }
        return outcome;
    }

    /// <summary>A delta from another member (CRDT topic) or a fetch answer.</summary>
    public void OnDelta(in VoteSetDelta delta, int fromValidator)
    {
        var submission = _pipeline.SubmitDelta(delta);
        if (submission.Refusal is { } refusal)
        {
            if (refusal != VoteOutcome.RoundClosed)
                _runtime.Drop(refusal == VoteOutcome.WrongRound ? DropReason.UnknownRound : DropReason.Malformed, fromValidator);
            return;
        }
        // Votes learnt from a peer are not flushed on their own: the peer already gossiped them to every member. They
        // ride along in this node's next delta (which carries everything added since the last) or its next tick.
        if (submission.Recorded + submission.Equivocations > 0)
            _runtime.Observer.OnVotesVerified(_round.Id, submission.Recorded + submission.Equivocations);
        if (submission.Rejected > 0)
            _runtime.Drop(DropReason.BadSignature, fromValidator);
    }

    /// <summary>Another member's summary: pull the votes it holds and this node lacks, decision by decision.</summary>
    public void OnSummary(in VoteSetSummary summary, int fromValidator)
    {
        if (_closed || fromValidator == _runtime.OwnIndex || _fetching.Contains(fromValidator))
            return;
        if (Votes.TryWriteFetch(summary, (uint)_runtime.OwnIndex, _runtime.Outbound.Begin()))
        {
            _fetching.Add(fromValidator);
            _runtime.Requests.Send(_runtime.Network, new PendingFetch(this, fromValidator), SequencerProtocol.Sync,
                _runtime.Outbound.Written, _runtime.Options.SyncRequestTimeout);
        }
    }

    /// <summary>A member's or the sequencer's fetch: answer with the wanted votes held (one delta, at most the delta bound).</summary>
    public void OnFetch(InboundRequestId request, int fromValidator, in VoteFetch fetch)
    {
        var cursor = 0u;
        var output = _runtime.Outbound.Begin();
        if (!Votes.TryWriteFetchAnswer(fetch, ref cursor, output))
            VoteSetDelta.Encode(output, _round.Id, _round.Directory.Hash, []);
        _runtime.Network.SendResponse(request, _runtime.Outbound.Written);
    }

    /// <summary>The sequencer's result pull: answer with this node's attestation if it attested, else its summary.</summary>
    public void OnResultPull(InboundRequestId request)
    {
        var output = _runtime.Outbound.Begin();
        if (Attested is not null)
            _attestation.Encode(output);
        else
            Votes.WriteSummary((uint)_runtime.OwnIndex, output);
        _runtime.Network.SendResponse(request, _runtime.Outbound.Written);
    }

    /// <summary>The round ended: no more intake; queued votes come back as "round closed" and are acknowledged so.</summary>
    public void Close()
    {
        _closed = true;
        _pipeline.Close();
    }

    void IVotePipelineEvents.OnVotesVerified(RoundVotePipeline pipeline, ReadOnlySpan<VoteVerdict> verdicts)
    {
        var copy = verdicts.ToArray();
        _runtime.Loop.Post(() => OnVerdicts(copy));
    }

    void IVotePipelineEvents.OnQuorumReached(RoundVotePipeline pipeline, Decision decision, VoteTallySnapshot tally) =>
        // Inline mode raises this inside Submit; posting keeps attesting (and all it sets off) out of that call.
        _runtime.Loop.Post(() => TryAttest(decision));

    private void OnVerdicts(VoteVerdict[] verdicts)
    {
        var verifiedFromDeltas = 0;
        foreach (var verdict in verdicts)
        {
            // A direct vote is reported by its acknowledgement; a delta entry has nobody waiting for it.
            if (_awaitingAck.Remove(verdict.Token, out var waiting))
                Acknowledge(waiting.Request, waiting.Voter, verdict.Outcome);
            else if (verdict.Outcome is VoteOutcome.Recorded or VoteOutcome.Equivocation)
                verifiedFromDeltas++;
        }
        if (verifiedFromDeltas > 0)
            _runtime.Observer.OnVotesVerified(_round.Id, verifiedFromDeltas);
    }

    private void Acknowledge(InboundRequestId request, uint voterIndex, VoteOutcome outcome)
    {
        var status = outcome.ToAckStatus();
        if (outcome is VoteOutcome.Recorded or VoteOutcome.Equivocation)
        {
            _runtime.Observer.OnVotesVerified(_round.Id, 1);
            ScheduleDeltaFlush();
        }
        else if (status is VoteAckStatus.InvalidSignature or VoteAckStatus.UnknownVoter or VoteAckStatus.UnknownRound or VoteAckStatus.Malformed)
            _runtime.Observer.OnVoteRefused(_round.Id, status, (int)Math.Min(voterIndex, int.MaxValue));
        var output = _runtime.Outbound.Begin();
        new VoteAck { Round = _round.Id, VoterIndex = voterIndex, Status = status }.Encode(output);
        _runtime.Network.SendResponse(request, _runtime.Outbound.Written);
    }

    private void TryAttest(Decision value)
    {
        if (_closed || _attestingDone || _withdrawn || _round.Committee is not { } committee)
            return;
        if (!committee.Contains(_runtime.OwnIndex))
            return;
        _attestingDone = true;
        var attestation = new Attestation
        {
            Round = _round.Id,
            DirectoryHash = _round.Directory.Hash,
            CommitteeDigest = committee.Digest,
            Value = value,
        };
        var signing = _runtime.SafetyRules.SignAttestation(ref attestation);
        if (!signing.IsSigned)
        {
            _runtime.Observer.OnSigningRefused(_round.Id, signing.Violation!);
            return;
        }
        _attestation = attestation;
        Attested = value;
        var output = _runtime.Outbound.Begin();
        attestation.Encode(output);
        _runtime.Network.Publish(_round.Topics!.Consensus, _runtime.Outbound.Written);
        _runtime.Observer.OnAttested(_round.Id, value);
        // The node's own attestation counts toward the certificate it may build itself (GossipSub does not echo it back).
        _round.OnAttestation(attestation, -1);
    }

    /// <summary>
    /// A vote arrived from its voter: gossip it (and whatever else was added since the last delta) to the other members
    /// in one delta at the end of this loop turn, so a burst of votes leaves as one message.
    /// </summary>
    private void ScheduleDeltaFlush()
    {
        if (_flushScheduled || _closed)
            return;
        _flushScheduled = true;
        _runtime.Loop.Post(_flushDeltas);
    }

    private void FlushDeltas()
    {
        _flushScheduled = false;
        if (_closed)
            return;
        while (Votes.TryWriteNewDelta(_runtime.Outbound.Begin()))
            _runtime.Network.Publish(_round.Topics!.CrdtSync, _runtime.Outbound.Written);
    }

    private void OnAntiEntropyTick()
    {
        if (_closed)
            return;
        FlushDeltas();
        Votes.WriteSummary((uint)_runtime.OwnIndex, _runtime.Outbound.Begin());
        _runtime.Network.Publish(_round.Topics!.CrdtSync, _runtime.Outbound.Written);
    }

    private void OnFetchEnded(int peer) => _fetching.Remove(peer);

    /// <summary>A fetch in flight to one member; its answer is a delta like any other.</summary>
    private sealed class PendingFetch(BuddyRound buddy, int peer) : PendingRequest(peer)
    {
        public override bool Expects(WireMessageType type) => type == WireMessageType.VoteSetDelta;

        public override void OnVoteSetDelta(in VoteSetDelta delta)
        {
            buddy.OnFetchEnded(ToValidator);
            if (!buddy._closed)
                buddy.OnDelta(delta, ToValidator);
        }

        public override void OnFailed(RequestFailure failure) => buddy.OnFetchEnded(ToValidator);
    }
}
