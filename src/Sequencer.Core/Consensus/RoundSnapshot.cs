using System.Collections.Immutable;
using Sequencer.Core.Committee;
using Sequencer.Core.Crdt;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// One round as this node sees it at one moment (the seed's <c>Metadata</c>: block, vote and round state). A copy:
/// it does not change as the round goes on.
/// </summary>
/// <param name="Round">The round's id.</param>
/// <param name="Roles">What this node is in it.</param>
/// <param name="Deadline">The round's one deadline.</param>
/// <param name="Stage">The sequencer's stage, when this node is the sequencer.</param>
/// <param name="Block">The block voted on, once the proposal is known (or the sequencer's own).</param>
/// <param name="Committee">The serving committee and the unused backups, once known.</param>
/// <param name="OwnVote">This node's signed vote, once signed.</param>
/// <param name="VoteAcknowledged">Whether a member acknowledged that vote.</param>
/// <param name="OwnAttestation">This node's attestation, when it is a member that attested.</param>
/// <param name="Tally">The weighted tally of the votes this node holds, when it is a buddy.</param>
/// <param name="AcceptAttestations">Verified Accept attestations this node holds (sequencer and buddies).</param>
/// <param name="RejectAttestations">Verified Reject attestations this node holds.</param>
/// <param name="VoteResults">The vote-result map: member (directory index) → the value it attested.</param>
/// <param name="Decided">The value a verified certificate decided, once one did.</param>
public sealed record RoundSnapshot(
    RoundId Round,
    RoundRoles Roles,
    DateTimeOffset Deadline,
    SequencerStage? Stage,
    ProposedBlock? Block,
    PeerList? Committee,
    Decision? OwnVote,
    bool VoteAcknowledged,
    Decision? OwnAttestation,
    VoteTallySnapshot? Tally,
    int AcceptAttestations,
    int RejectAttestations,
    ImmutableDictionary<int, Decision> VoteResults,
    Decision? Decided)
{
    internal static RoundSnapshot Of(Round round) => new(
        round.Id,
        round.Roles,
        round.Triggers.DeadlineTime,
        round.Sequencer?.Stage,
        round.Block ?? round.Sequencer?.Block,
        round.Committee?.PeerList,
        round.Voter?.Decision,
        round.Voter?.IsAcknowledged ?? false,
        round.Buddy?.Attested,
        round.Buddy?.Votes.Tally,
        round.Attestations?.AcceptCount ?? 0,
        round.Attestations?.RejectCount ?? 0,
        round.Triggers.VoteResults.ToImmutableDictionary(),
        round.Decided);
}
