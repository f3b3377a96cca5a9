using System.Buffers;
using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.InteropServices;
using Sequencer.Core.Committee;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus.Sequencer;

/// <summary>
/// The sequencer's side of one round (DESIGN §3 steps 1–4, 9–10): the committee drawn from its VRF proof, signed
/// invitations to the main buddies, a backup invited for each signed decline, the two round topics, the signed proposal
/// on the consensus topic and the announce topic, and then nothing but events — attestations (collected by the round),
/// a certificate, the result pull shortly before the deadline, the deadline itself. The outcome completes only when it
/// exists. Loop-only; its tasks complete on the loop and reach callers through <see cref="LoopCalls"/>.
/// </summary>
/// <remarks>
/// <para><b>Why silence cannot change the committee.</b> A main buddy is replaced only by its own signed decline of the
/// very invitation this round sent it; a buddy that times out, is unreachable, or answers with anything that does not
/// verify stays in the committee. The declines travel in the proposal and the certificate, and every node re-derives
/// the committee from them (<see cref="EffectiveCommittee.TryVerify"/>), so a sequencer cannot drop an inconvenient
/// member by claiming it never answered — it can only lose that member's attestation, which the 2/3 rule absorbs
/// (up to f of them).</para>
/// <para>The invitation phase ends when every invitation that matters has its answer or its failure — each request
/// ends in exactly one of the two, so this is an event, never a guess about how long buddies take.</para>
/// </remarks>
internal sealed class SequencerRound
{
    private readonly NodeRuntime _runtime;
    private readonly Round _round;
    private readonly CommitteeSeats _seats;
    private readonly CandidateState[] _candidates;
    private readonly List<InvitationReply> _declines = [];
    private readonly List<TaskCompletionSource<ImmutableDictionary<int, Decision>>> _pullWaiters = [];
    private readonly TaskCompletionSource<RoundOutcome> _outcome = NewSource<RoundOutcome>();
    private readonly TaskCompletionSource<PeerList> _subscriptions = NewSource<PeerList>();
    private readonly TaskCompletionSource<RoundTopics> _channel = NewSource<RoundTopics>();
    private readonly TaskCompletionSource<bool> _proposed = NewSource<bool>();
    private int _nextBackup;
    private int _pendingInvitations;
    private int _pullsInFlight;

    public SequencerRound(NodeRuntime runtime, Round round, ProposedBlock block, CommitteeSeats seats)
    {
        _runtime = runtime;
        _round = round;
        _seats = seats;
        Block = block;
        _candidates = new CandidateState[seats.Candidates.Length];
        for (var position = 0; position < _candidates.Length; position++)
            _candidates[position] = new CandidateState(seats.Candidates[position]);
    }

    public ProposedBlock Block { get; }

    public SequencerStage Stage { get; private set; } = SequencerStage.Inviting;

    /// <summary>The committee as the VRF drew it, before any replacement.</summary>
    public PeerList DrawnPeers => _seats.PeerList;

    public Task<RoundOutcome> Outcome => _outcome.Task;

    /// <summary>Completes with the committee once the invitations have ended (the seed's <c>RequestSubscriptionPermission</c>).</summary>
    public Task<PeerList> Subscriptions => _subscriptions.Task;

    /// <summary>Completes once the round's topics are subscribed (the seed's <c>CreatePubSubChannel</c>).</summary>
    public Task<RoundTopics> Channel => _channel.Task;

    /// <summary>Completes once the proposal is published (the seed's <c>StartBFTConsensus</c>).</summary>
    public Task<bool> Proposed => _proposed.Task;

    public IEnumerable<CandidateState> Candidates => _candidates;

    /// <summary>Invites the main buddies (DESIGN §3 step 2).</summary>
    public void Begin()
    {
        _nextBackup = _seats.MainCount;
        for (var position = 0; position < _seats.MainCount; position++)
            Invite(position);
    }

    /// <summary>How the invitation of <paramref name="validatorIndex"/> ends (<see cref="InvitationStatus.NotInvited"/> if it never is).</summary>
    public Task<InvitationStatus> AnswerOf(int validatorIndex)
    {
        var position = _seats.PositionOf(validatorIndex);
        if (position < 0)
            return Task.FromResult(InvitationStatus.NotInvited);
        var candidate = _candidates[position];
        if (IsSettled(candidate.Invitation) || Stage != SequencerStage.Inviting)
            return Task.FromResult(candidate.Invitation);
        candidate.Answer ??= NewSource<InvitationStatus>();
        return candidate.Answer.Task;
    }

    /// <summary>
    /// Pulls what the members that have not attested hold (the seed's <c>RequestVoteResultsFromBuddies</c>): each gets
    /// the proposal again over a direct stream and answers with its attestation, or its summary if it has none yet. A
    /// member that missed the proposal on the topic learns it this way. Completes with the vote-result map once every
    /// pull has its answer or failure.
    /// </summary>
    public Task<ImmutableDictionary<int, Decision>> PullResults()
    {
        var waiter = NewSource<ImmutableDictionary<int, Decision>>();
        if (_round.IsFinished || _round.Committee is not { } committee || _round.Proposal is not { } proposal)
        {
            waiter.SetResult(VoteResults());
            return waiter.Task;
        }
        foreach (var member in committee.Members)
        {
            var candidate = _candidates[member.Position];
            if (candidate.PullInFlight || _round.Triggers.VoteResults.ContainsKey(member.ValidatorIndex))
                continue;
            candidate.PullInFlight = true;
            _pullsInFlight++;
            _runtime.Requests.Send(_runtime.Network, new PendingPull(this, member.Position, member.ValidatorIndex),
                SequencerProtocol.Sync, proposal, _runtime.Options.SyncRequestTimeout);
        }
        if (_pullsInFlight == 0)
            waiter.SetResult(VoteResults());
        else
            _pullWaiters.Add(waiter);
        return waiter.Task;
    }

    /// <summary>A member's summary on the CRDT topic: kept for the diagnosis (how much weight the buddies say voted).</summary>
    public void OnSummary(in VoteSetSummary summary, int fromValidator)
    {
        var position = _seats.PositionOf(fromValidator);
        if (position < 0 || summary.SenderIndex != (uint)fromValidator)
            return;
        // A voter counts once whichever decisions the member holds for it: the union of the two bitmaps.
        var bitmap = new byte[Math.Max(summary.Held.Accepts.MinimalLength, summary.Held.Rejects.MinimalLength)];
        foreach (var held in summary.Held)
            VoterBitmap.Set(bitmap, held.Voter);
        _candidates[position].ReportedVoters = bitmap;
    }

    public void OnDecided(Decision value, byte[] certificate)
    {
        Stage = SequencerStage.Decided;
        Complete(RoundOutcome.FromCertificate(_round.Id, value, certificate));
    }

    public void OnDeadline()
    {
        var diagnosis = Diagnose();
        Stage = SequencerStage.TimedOut;
        Complete(new RoundOutcome.TimedOut(_round.Id, diagnosis));
    }

    /// <summary>The node stops: nobody will decide this round here.</summary>
    public void Abandon()
    {
        _outcome.TrySetCanceled();
        CancelWaiters();
    }

    private void Invite(int position)
    {
        var candidate = _candidates[position];
        var invitation = Invitations.Create(_seats, _round.Id, candidate.ValidatorIndex, _round.Deadline, _runtime.Signer);
        candidate.Sent = invitation;
        candidate.Invitation = InvitationStatus.Pending;
        _pendingInvitations++;
        var output = _runtime.Outbound.Begin();
        invitation.Encode(output);
        _runtime.Requests.Send(_runtime.Network, new PendingInvitation(this, position, candidate.ValidatorIndex),
            SequencerProtocol.Invitation, _runtime.Outbound.Written, _runtime.Options.InvitationTimeout);
    }

    private void OnReply(int position, in InvitationReply reply)
    {
        var candidate = _candidates[position];
        var error = Invitations.VerifyReply(_round.Directory, candidate.Sent, reply);
        if (error != InvitationReplyError.None)
        {
            // An answer that does not verify is no answer: the member stays, as if silent.
            _runtime.Drop(error == InvitationReplyError.BadSignature ? DropReason.BadSignature : DropReason.BadResponse,
                candidate.ValidatorIndex);
            Settle(position, InvitationStatus.Silent);
            return;
        }
        if (reply.Answer == InvitationAnswer.Accept)
        {
            Settle(position, InvitationStatus.Accepted);
            return;
        }
        // A signed decline: the next backup in draw order takes the slot. With none left, the member stays as if
        // silent and its decline is not used (the committee rule refuses declines beyond the backups).
        if (Stage == SequencerStage.Inviting && !_round.IsFinished && _nextBackup < _candidates.Length)
        {
            _declines.Add(reply);
            Invite(_nextBackup++);
        }
        Settle(position, InvitationStatus.Declined);
    }

    private void Settle(int position, InvitationStatus status)
    {
        var candidate = _candidates[position];
        candidate.Invitation = status;
        candidate.Answer?.TrySetResult(status);
        if (--_pendingInvitations == 0 && Stage == SequencerStage.Inviting && !_round.IsFinished)
            EndInvitations();
    }

    private void EndInvitations()
    {
        if (!_seats.TryApplyDeclines(_round.Id, _round.Deadline, CollectionsMarshal.AsSpan(_declines),
                out var committee, out _))
        {
            // Unreachable with declines verified against this round's own invitations, one backup per decline; if it
            // ever happened, proposing without replacements is still a valid committee.
            committee = _seats.WithoutDeclines(_round.Id, _round.Deadline);
        }
        Stage = SequencerStage.OpeningChannel;
        foreach (var candidate in _candidates)
            candidate.Answer?.TrySetResult(candidate.Invitation);
        _subscriptions.TrySetResult(committee.PeerList);

        _round.OpenTopics(_round.AdmissionOf(committee));
        _channel.TrySetResult(_round.Topics!);
        Propose(committee);
    }

    /// <summary>DESIGN §3 step 4: the signed proposal on the round's consensus topic and, as the vote request, network-wide.</summary>
    private void Propose(EffectiveCommittee committee)
    {
        var proposal = new Proposal
        {
            Round = _round.Id,
            DirectoryHash = _round.Directory.Hash,
            Committee = committee.ToProof(),
            BlockSummary = new ReadOnlySequence<byte>(Block.Summary),
        };
        var digest = default(Hash32);
        proposal.ComputeSigningDigest(digest);
        _runtime.Signer.Sign(digest, proposal.Signature);
        proposal.Encode(_runtime.Outbound.Begin());
        var encoded = _runtime.Outbound.ToArray();

        _round.SetProposal(committee, encoded, Block);
        _runtime.Network.Publish(_round.Topics!.Consensus, encoded);
        _runtime.Network.Publish(_runtime.Options.PubSub_AnnounceChannel, encoded);
        Stage = SequencerStage.Proposed;
        _proposed.TrySetResult(true);

        var pullAt = _runtime.Until(_round.Deadline) - _runtime.Options.ResultPullLead;
        _round.Triggers.Once(pullAt, () => PullResults());
        // The sequencer is a validator too: it votes on its own block like everyone else.
        _round.StartVoting();
    }

    private void OnPullAnswered(int position, in Attestation attestation)
    {
        var candidate = _candidates[position];
        candidate.PullAnswered = true;
        if (!_round.IsFinished)
            _round.OnAttestation(attestation, candidate.ValidatorIndex);
        EndPull(position);
    }

    private void OnPullAnswered(int position, in VoteSetSummary summary)
    {
        var candidate = _candidates[position];
        candidate.PullAnswered = true;
        if (summary.Round == _round.Id)
            OnSummary(summary, candidate.ValidatorIndex);
        else
            _runtime.Drop(DropReason.BadResponse, candidate.ValidatorIndex);
        EndPull(position);
    }

    private void EndPull(int position)
    {
        _candidates[position].PullInFlight = false;
        if (--_pullsInFlight > 0)
            return;
        var results = VoteResults();
        foreach (var waiter in _pullWaiters)
            waiter.TrySetResult(results);
        _pullWaiters.Clear();
    }

    private ImmutableDictionary<int, Decision> VoteResults() => _round.Triggers.VoteResults.ToImmutableDictionary();

    private void Complete(RoundOutcome outcome)
    {
        if (!_outcome.TrySetResult(outcome))
            return;
        _runtime.Observer.OnRoundOutcome(outcome);
        CancelWaiters();
    }

    private void CancelWaiters()
    {
        _subscriptions.TrySetCanceled();
        _channel.TrySetCanceled();
        _proposed.TrySetCanceled();
        foreach (var candidate in _candidates)
            candidate.Answer?.TrySetResult(candidate.Invitation);
        var results = VoteResults();
        foreach (var waiter in _pullWaiters)
            waiter.TrySetResult(results);
        _pullWaiters.Clear();
    }

    private RoundDiagnosis Diagnose()
    {
        var committee = _round.Committee;
        var directory = _round.Directory;
        var reports = ImmutableArray.CreateBuilder<BuddyReport>(_candidates.Length);
        var union = new byte[VoterBitmap.GetByteLength(directory.Count)];
        for (var position = 0; position < _candidates.Length; position++)
        {
            var candidate = _candidates[position];
            var reported = -1;
            if (candidate.ReportedVoters is { } bitmap)
            {
                reported = 0;
                for (var i = 0; i < bitmap.Length && i < union.Length; i++)
                {
                    reported += BitOperations.PopCount(bitmap[i]);
                    union[i] |= bitmap[i];
                }
            }
            var isMember = committee?.TryGetMemberAt(position, out _) ?? position < _seats.MainCount;
            Decision? attested = _round.Triggers.VoteResults.TryGetValue(candidate.ValidatorIndex, out var value) ? value : null;
            reports.Add(new BuddyReport(candidate.ValidatorIndex, position, isMember, candidate.Invitation, attested,
                candidate.PullAnswered, reported));
        }

        var voters = 0;
        var weight = 0UL;
        for (var voter = 0u; voter < (uint)directory.Count; voter++)
        {
            if (!VoterBitmap.IsSet(union, voter))
                continue;
            voters++;
            weight += directory[(int)voter].Weight;
        }
        var size = committee?.Count ?? _seats.MainCount;
        return new RoundDiagnosis(
            Stage, committee?.Count ?? 0, QuorumRules.MinimumCertificateSigners(size),
            _round.Attestations?.AcceptCount ?? 0, _round.Attestations?.RejectCount ?? 0,
            reports.MoveToImmutable(), voters, weight, directory.TotalWeight);
    }

    private static bool IsSettled(InvitationStatus status) =>
        status is InvitationStatus.Accepted or InvitationStatus.Declined or InvitationStatus.Silent;

    private static TaskCompletionSource<T> NewSource<T>() => LoopCalls.NewRoundSource<T>();

    /// <summary>An invitation in flight to one candidate.</summary>
    private sealed class PendingInvitation(SequencerRound sequencer, int position, int buddy) : PendingRequest(buddy)
    {
        public override bool Expects(WireMessageType type) => type == WireMessageType.InvitationReply;

        public override void OnInvitationReply(in InvitationReply reply) => sequencer.OnReply(position, reply);

        public override void OnFailed(RequestFailure failure) => sequencer.Settle(position, InvitationStatus.Silent);
    }

    /// <summary>A result pull in flight to one member.</summary>
    private sealed class PendingPull(SequencerRound sequencer, int position, int member) : PendingRequest(member)
    {
        public override bool Expects(WireMessageType type) =>
            type is WireMessageType.Attestation or WireMessageType.VoteSetSummary;

        public override void OnAttestation(in Attestation attestation) => sequencer.OnPullAnswered(position, attestation);

        public override void OnVoteSetSummary(in VoteSetSummary summary) => sequencer.OnPullAnswered(position, summary);

        public override void OnFailed(RequestFailure failure) => sequencer.EndPull(position);
    }
}
