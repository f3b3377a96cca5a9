using System.Collections.Immutable;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// The direct exchanges of a round this node sequences (the seed's <c>Communication</c>), as views onto the running
/// round: the round's state machine sends the invitations, pulls results and publishes the proposal by itself, driven
/// by events; these methods let a caller follow those steps, or ask for a result pull now.
/// </summary>
public sealed class Communication
{
    private readonly LoopCalls _calls;

    internal Communication(LoopCalls calls) => _calls = calls;

    /// <summary>
    /// How the invitation of validator <paramref name="buddyIndex"/> ends: accepted, declined (signed), silent (no
    /// usable answer — it stays in the committee), or not invited (a backup no decline reached, or not drawn).
    /// </summary>
    public Task<InvitationStatus> AskForSubscriptionAsync(RoundId round, int buddyIndex) =>
        _calls.ForSequencedRound(round, sequencer => sequencer.AnswerOf(buddyIndex));

    /// <summary>
    /// Pulls, now, the attestation (or, lacking one, the vote-set summary) of every member whose attestation has not
    /// arrived, and completes with the vote-result map — member → attested value — once every pull has its answer or
    /// its failure. The round does this by itself shortly before its deadline (<see cref="ConsensusOptions.ResultPullLead"/>).
    /// </summary>
    public Task<ImmutableDictionary<int, Decision>> RequestVoteResultsFromBuddiesAsync(RoundId round) =>
        _calls.ForSequencedRound(round, sequencer => sequencer.PullResults());

    /// <summary>Completes once the round's proposal is published on its consensus topic and, as the vote request, network-wide.</summary>
    public Task StartBftConsensusAsync(RoundId round) => _calls.ForSequencedRound(round, sequencer => sequencer.Proposed);
}
