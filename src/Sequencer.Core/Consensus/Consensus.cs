using Sequencer.Core.Committee;
using Sequencer.Core.Consensus.Sequencer;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// The sequencer's API (the seed's <c>Consensus</c>, DESIGN §10): start a round for a block and get its outcome, plus
/// the seed's steps as views onto a running round. Every method may be called from any thread; the work happens on the
/// node's loop and the returned tasks complete from there.
/// </summary>
/// <remarks>
/// <see cref="StartAsync"/> runs the whole round: committee (<see cref="QueryBuddyNodesAsync"/>), invitations
/// (<see cref="RequestSubscriptionPermissionAsync"/>), topics (<see cref="CreatePubSubChannelAsync"/>), the proposal
/// (<see cref="Communication.StartBftConsensusAsync"/>), then attestations and the certificate. The step methods do not
/// run a step a second time; they return the task that completes when the running round has done it, so a caller
/// can follow (or await) each step of the seed's flow.
/// </remarks>
public sealed class Consensus
{
    private readonly NodeRuntime _runtime;
    private readonly RoundTable _rounds;
    private readonly LoopCalls _calls;

    internal Consensus(NodeRuntime runtime, RoundTable rounds, LoopCalls calls)
    {
        _runtime = runtime;
        _rounds = rounds;
        _calls = calls;
        Communication = new Communication(calls);
    }

    /// <summary>The direct exchanges of a running round (the seed's <c>Communication</c>).</summary>
    public Communication Communication { get; }

    /// <summary>
    /// Runs the round for <paramref name="block"/> with this node as its sequencer. Completes with
    /// <see cref="RoundOutcome.Accepted"/> or <see cref="RoundOutcome.Rejected"/> once a verified certificate exists, or
    /// <see cref="RoundOutcome.TimedOut"/> at the deadline — never earlier. Starting a round that is already running
    /// returns its outcome task.
    /// </summary>
    /// <exception cref="ArgumentException">(in the task) The summary exceeds <see cref="WireLimits.MaxBlockSummaryLength"/> bytes.</exception>
    /// <exception cref="CommitteeException">(in the task) The chain is not the directory's, or no committee can be drawn.</exception>
    /// <exception cref="InvalidOperationException">(in the task) This node already finished that round, or serves it in another role.</exception>
    public Task<RoundOutcome> StartAsync(ProposedBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return _calls.RunLinked(() => Start(block));
    }

    /// <summary>The committee the VRF draws for <paramref name="block"/>'s height and parent, as drawn (no invitation is sent).</summary>
    /// <exception cref="CommitteeException">(in the task) The chain is not the directory's, or no committee can be drawn.</exception>
    public Task<PeerList> QueryBuddyNodesAsync(ProposedBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return _calls.Run(() => Draw(block).PeerList);
    }

    /// <summary>Completes with the round's committee once its invitations have ended: the serving members, then the unused backups.</summary>
    public Task<PeerList> RequestSubscriptionPermissionAsync(RoundId round) =>
        _calls.ForSequencedRound(round, sequencer => sequencer.Subscriptions);

    /// <summary>Completes with the round's two topics once they are subscribed with the committee-only validators.</summary>
    public Task<RoundTopics> CreatePubSubChannelAsync(RoundId round) =>
        _calls.ForSequencedRound(round, sequencer => sequencer.Channel);

    private Task<RoundOutcome> Start(ProposedBlock block)
    {
        if (block.Summary.Length > WireLimits.MaxBlockSummaryLength)
            throw new ArgumentException(
                $"the block summary is {block.Summary.Length} bytes, at most {WireLimits.MaxBlockSummaryLength}", nameof(block));
        var id = new RoundId(block.ChainId, block.Height, block.BlockHash);
        if (_rounds.TryGet(id, out var existing))
        {
            return existing.Sequencer is { } running
                ? running.Outcome
                : throw new InvalidOperationException($"round {id} is already running here as {existing.Roles}, not as its sequencer");
        }
        if (_rounds.IsFinished(id))
            throw new InvalidOperationException($"round {id} has already finished on this node");

        var seats = Draw(block);
        var deadline = _runtime.NowUnixMs + (ulong)_runtime.Options.ConsensusTimeout.TotalMilliseconds;
        var round = _rounds.Create(id, seats.Directory, deadline);
        var sequencer = new SequencerRound(_runtime, round, block, seats);
        round.AddSequencer(sequencer);
        sequencer.Begin();
        return sequencer.Outcome;
    }

    private CommitteeSeats Draw(ProposedBlock block) =>
        CommitteeSeats.Draw(_runtime.CurrentDirectory, _runtime.CommitteeSize, _runtime.OwnIndex, _runtime.VrfKey,
            block.ChainId, block.Height, block.ParentHash);
}
