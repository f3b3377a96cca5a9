using Sequencer.Core.Consensus.Buddy;
using Sequencer.Core.Consensus.Certificates;
using Sequencer.Core.Consensus.Topics;
using Sequencer.Core.Ports;
using Sequencer.Core.VotePipeline;

namespace Sequencer.Core.Consensus;

/// <summary>
/// One validator's consensus engine, in every role at once (ENGINE §2–§3): the sequencer of the rounds it starts
/// (<see cref="Consensus"/>), a buddy of the rounds it is invited to, and a voter in every round it hears of. It is a
/// single-threaded event loop: the network's events (<see cref="INetworkEvents"/>), timers and block-validation results
/// all arrive on <see cref="ConsensusNodeContext.Loop"/>, one at a time, and the node acts only through its ports,
/// which return at once. Nothing in it blocks, sleeps, starts a thread (except the threaded vote pipeline's workers)
/// or reads the wall clock; given the same events in the same order it does exactly the same things.
/// </summary>
/// <remarks>
/// <para>Driving a node: construct it, call <see cref="Start"/> on the loop (it joins the announce topic), deliver the
/// network's events to its <see cref="INetworkEvents"/> methods on the loop, run whatever it posts to the loop, and
/// fire the <see cref="TimeProvider"/>'s timers (which post too). <see cref="Stop"/> leaves every topic, cancels every
/// timer and abandons live rounds; durable state (safety store, decision log) is never touched by it. A crash is
/// simply dropping the node: a new one over the same stores is the restarted validator.</para>
/// <para>Own publications: GossipSub does not deliver a node's own messages back to it, and the node does not need
/// them (it applies its own proposal and attestation directly). A network that does deliver them causes only
/// counted duplicates.</para>
/// </remarks>
public sealed class ConsensusNode : INetworkEvents, IDisposable
{
    private readonly NodeRuntime _runtime;
    private readonly RoundTable _rounds;
    private readonly InvitationResponder _invitations;
    private readonly ThreadedVoteVerifier? _ownedVerifier;
    private bool _started;

    /// <exception cref="ConsensusOptionsException">The options break a rule (the key and value are named).</exception>
    public ConsensusNode(ConsensusNodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(context.Options);
        context.Options.ThrowIfInvalid();
        VoteVerifier verifier;
        switch (context.PipelineMode)
        {
            case VotePipelineMode.Inline:
                verifier = VoteVerifier.Inline;
                break;
            case VotePipelineMode.Threaded:
                _ownedVerifier = new ThreadedVoteVerifier(Environment.ProcessorCount);
                verifier = _ownedVerifier;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(context), context.PipelineMode, "not a vote pipeline mode");
        }
        _runtime = new NodeRuntime(context, verifier);
        _rounds = new RoundTable(_runtime);
        _invitations = new InvitationResponder(_runtime, _rounds);
        var calls = new LoopCalls(_runtime, _rounds);
        Router = new Router(_runtime, _rounds, new ProposalIntake(_runtime, _rounds, _invitations), _invitations,
            new CertificateIntake(_runtime, _rounds));
        Consensus = new Consensus(_runtime, _rounds, calls);
        Metadata = new Metadata(_runtime, _rounds, calls);
    }

    /// <summary>This node's directory index.</summary>
    public int ValidatorIndex => _runtime.OwnIndex;

    /// <summary>The sequencer's API: <see cref="Consensus.StartAsync"/> and the seed's steps.</summary>
    public Consensus Consensus { get; }

    /// <summary>Live round state, queryable while rounds run.</summary>
    public Metadata Metadata { get; }

    /// <summary>The dispatcher of everything inbound, with its drop counters.</summary>
    public Router Router { get; }

    /// <summary>Joins the network-wide announce topic and begins serving. Call on the loop (or before it runs).</summary>
    public void Start()
    {
        if (_started)
            return;
        _started = true;
        _invitations.IsStopping = false;
        Router.IsAccepting = true;
        _runtime.Network.Subscribe(_runtime.Options.PubSub_AnnounceChannel, new AnnounceTopicValidator(_runtime.Context.Directory));
    }

    /// <summary>
    /// Leaves every topic, cancels every timer and abandons live rounds (their outcome tasks are cancelled); later
    /// events are ignored. Durable state is untouched. Call on the loop.
    /// </summary>
    public void Stop()
    {
        _invitations.IsStopping = true;
        Router.IsAccepting = false;
        foreach (var round in _rounds.Live.ToArray())
        {
            round.Sequencer?.Abandon();
            round.Finish();
        }
        _runtime.Certificates.Cancel();
        if (_started)
            _runtime.Network.Unsubscribe(_runtime.Options.PubSub_AnnounceChannel);
        _started = false;
    }

    /// <summary>Stops the threaded pipeline's workers, if this node started them.</summary>
    public void Dispose() => _ownedVerifier?.Dispose();

    public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload) =>
        Router.OnRequest(request, fromValidator, protocol, payload);

    public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload) =>
        Router.OnResponse(id, fromValidator, payload);

    public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason) =>
        Router.OnRequestFailed(id, toValidator, reason);

    public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload) =>
        Router.OnTopicMessage(topic, fromValidator, payload);
}
