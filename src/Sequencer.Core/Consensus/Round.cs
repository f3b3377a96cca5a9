using System.Collections.Immutable;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus.Buddy;
using Sequencer.Core.Consensus.Certificates;
using Sequencer.Core.Consensus.Sequencer;
using Sequencer.Core.Consensus.Topics;
using Sequencer.Core.Consensus.Voter;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// One round at one node, keyed by (chainId, height, blockHash): the facts every role shares (directory epoch, deadline,
/// committee, proposal, topics, attestations) and the roles this node plays in it. Each round owns all of its state, so
/// rounds of different heights run side by side without sharing anything mutable. Loop-only.
/// </summary>
/// <remarks>
/// Lifecycle: created by the first role that needs it (the sequencer's start, an accepted invitation, a verified
/// proposal); decided by a verified certificate (built here or received); ended by that decision or by the deadline,
/// whichever comes first. <see cref="Finish"/> tears everything down — timers, topics, the vote pipeline — and the
/// round table remembers the id so late messages are recognised as late.
/// </remarks>
internal sealed class Round
{
    /// <summary>Attestations held while the committee is still unknown (a buddy that has not seen the proposal yet).</summary>
    private const int MaxEarlyAttestations = 2 * WireLimits.MaxCommitteeCandidates;

    private readonly NodeRuntime _runtime;
    private readonly RoundTable _table;
    private List<(Attestation Attestation, int From)>? _earlyAttestations;

    public Round(NodeRuntime runtime, RoundTable table, in RoundId id, ValidatorDirectory directory, ulong deadlineUnixMs)
    {
        _runtime = runtime;
        _table = table;
        Id = id;
        Directory = directory;
        Triggers = new Triggers(runtime, deadlineUnixMs, OnDeadline);
    }

    public RoundId Id { get; }

    /// <summary>The directory epoch the round runs under, fixed when the round was created.</summary>
    public ValidatorDirectory Directory { get; }

    public Triggers Triggers { get; }

    public ulong Deadline => Triggers.Deadline;

    public RoundRoles Roles { get; private set; }

    public SequencerRound? Sequencer { get; private set; }

    public BuddyRound? Buddy { get; private set; }

    public VoterRound? Voter { get; private set; }

    /// <summary>The committee the proposal carries, once verified (the sequencer's own once its invitations ended).</summary>
    public EffectiveCommittee? Committee { get; private set; }

    /// <summary>The signed proposal as it travels, once known.</summary>
    public byte[]? Proposal { get; private set; }

    /// <summary>The block the proposal asks to vote on, once known.</summary>
    public ProposedBlock? Block { get; private set; }

    public RoundTopics? Topics { get; private set; }

    public RoundGate? Gate { get; private set; }

    /// <summary>Present on nodes subscribed to the consensus topic once the committee is known.</summary>
    public AttestationCollector? Attestations { get; private set; }

    /// <summary>The value a verified certificate decided, once one did.</summary>
    public Decision? Decided { get; private set; }

    public bool IsFinished { get; private set; }

    public void AddSequencer(SequencerRound sequencer)
    {
        Sequencer = sequencer;
        AddRole(RoundRoles.Sequencer);
    }

    public void AddBuddy(BuddyRound buddy)
    {
        Buddy = buddy;
        AddRole(RoundRoles.Buddy);
    }

    /// <summary>Starts this node's vote once the proposal is known (once per round).</summary>
    public void StartVoting()
    {
        if (Voter is not null || Committee is null || Block is null || IsFinished)
            return;
        Voter = new VoterRound(_runtime, this);
        AddRole(RoundRoles.Voter);
        Voter.Start();
    }

    /// <summary>Subscribes the round's two topics with validators admitting only <paramref name="admission"/>.</summary>
    public void OpenTopics(RoundAdmission admission)
    {
        if (Topics is not null)
            return;
        Topics = RoundTopics.For(_runtime.Options, Id);
        Gate = new RoundGate(admission);
        _table.RegisterTopics(this, Topics);
        _runtime.Network.Subscribe(Topics.Consensus, Gate.Consensus);
        _runtime.Network.Subscribe(Topics.CrdtSync, Gate.CrdtSync);
        if (Committee is not null)
            StartCollecting(Committee);
    }

    /// <summary>Records the verified proposal and its committee; the roles already present react to it.</summary>
    public void SetProposal(EffectiveCommittee committee, byte[] proposal, ProposedBlock block)
    {
        Committee = committee;
        Proposal = proposal;
        Block = block;
        if (Gate is not null)
        {
            Gate.Admission = AdmissionOf(committee);
            StartCollecting(committee);
        }
        Buddy?.OnCommitteeKnown(committee);
    }

    /// <summary>An attestation from the consensus topic, a pull answer (<paramref name="fromValidator"/> −1) or this node's own.</summary>
    public void OnAttestation(in Attestation attestation, int fromValidator)
    {
        if (Attestations is null)
        {
            if (Topics is null)
            {
                _runtime.Drop(DropReason.UnexpectedMessage, fromValidator);
                return;
            }
            _earlyAttestations ??= [];
            if (_earlyAttestations.Count < MaxEarlyAttestations)
                _earlyAttestations.Add((attestation, fromValidator));
            else
                _runtime.Drop(DropReason.Duplicate, fromValidator);
            return;
        }
        var check = Attestations.Add(attestation, fromValidator);
        switch (check)
        {
            case AttestationCheck.Added:
            case AttestationCheck.CertificateBuilt:
                Triggers.VoteResults.TryAdd((int)attestation.AttesterIndex, attestation.Value);
                if (check == AttestationCheck.CertificateBuilt)
                    OnCertificateBuilt(Attestations.CertificateValue, Attestations.Certificate!);
                break;
            case AttestationCheck.Duplicate:
                _runtime.Drop(DropReason.Duplicate, fromValidator);
                break;
            case AttestationCheck.WrongRound:
                _runtime.Drop(DropReason.UnknownRound, fromValidator);
                break;
            case AttestationCheck.WrongCommittee:
                _runtime.Drop(DropReason.ConflictingProposal, fromValidator);
                break;
            case AttestationCheck.NotInCommittee:
                _runtime.Drop(DropReason.NotInCommittee, fromValidator);
                break;
            case AttestationCheck.BadSignature:
                _runtime.Drop(DropReason.BadSignature, fromValidator);
                break;
        }
    }

    /// <summary>A verified certificate for this round: record it, settle the roles, end the round.</summary>
    public void Decide(Decision value, byte[] certificate)
    {
        if (IsFinished)
            return;
        Decided = value;
        _runtime.Decisions.Record(Id, value, certificate);
        Sequencer?.OnDecided(value, certificate);
        Finish();
    }

    /// <summary>Tears the round down: timers, topics, the vote pipeline, the voter's retries. Idempotent.</summary>
    public void Finish()
    {
        if (IsFinished)
            return;
        IsFinished = true;
        Triggers.Dispose();
        Buddy?.Close();
        Voter?.Stop();
        if (Topics is not null)
        {
            _runtime.Network.Unsubscribe(Topics.Consensus);
            _runtime.Network.Unsubscribe(Topics.CrdtSync);
        }
        _earlyAttestations = null;
        _table.Remove(this);
    }

    /// <summary>What the topics admit once the committee is known: its members and the sequencer.</summary>
    public RoundAdmission AdmissionOf(EffectiveCommittee committee)
    {
        var members = ImmutableArray.CreateBuilder<int>(committee.Count);
        foreach (var member in committee.Members)
            members.Add(member.ValidatorIndex);
        return new RoundAdmission(Id, Directory.Hash, committee.Seats.SequencerIndex, members.MoveToImmutable());
    }

    private void OnCertificateBuilt(Decision value, byte[] certificate)
    {
        // The sequencer announces at once; a member in its turn, unless someone else's copy arrives first.
        var position = -1;
        if (Sequencer is null && !(Committee?.TryGetPosition(_runtime.OwnIndex, out position) ?? false))
            position = Committee?.Count ?? 0;
        _runtime.Certificates.OnBuilt(Id, certificate, position);
        Decide(value, certificate);
    }

    private void StartCollecting(EffectiveCommittee committee)
    {
        if (Attestations is not null)
            return;
        Attestations = new AttestationCollector(committee);
        var early = _earlyAttestations;
        _earlyAttestations = null;
        if (early is null)
            return;
        foreach (var (attestation, from) in early)
        {
            if (IsFinished)
                return;
            OnAttestation(attestation, from);
        }
    }

    private void OnDeadline()
    {
        if (IsFinished)
            return;
        Sequencer?.OnDeadline();
        Finish();
    }

    private void AddRole(RoundRoles role)
    {
        Roles |= role;
        _runtime.Observer.OnRoleStarted(Id, role);
    }
}
