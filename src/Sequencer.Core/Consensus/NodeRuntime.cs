using Sequencer.Core.Committee;
using Sequencer.Core.Consensus.Certificates;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;
using Sequencer.Core.Safety;
using Sequencer.Core.Validators;
using Sequencer.Core.VotePipeline;

namespace Sequencer.Core.Consensus;

/// <summary>
/// What every round and role of one node shares: the ports, the node's identity, the one <see cref="SafetyRules"/>, the
/// outbound buffer, the table of requests in flight, the drop counters and the decision log. None of it is per-round
/// state: rounds keep theirs in their own objects, so heights never share mutable state beyond these node facilities.
/// Loop-only, except the immutable parts.
/// </summary>
internal sealed class NodeRuntime
{
    private ValidatorDirectory? _rosterDirectory;
    private VoterRoster? _roster;

    public NodeRuntime(ConsensusNodeContext context, VoteVerifier verifier)
    {
        Context = context;
        Options = context.Options;
        OwnIndex = context.Signer.ValidatorIndex;
        CommitteeSize = Options.CommitteeSize;
        InvitationPolicy = Options.InvitationPolicy;
        SafetyRules = new SafetyRules(context.SafetyStore, context.Signer);
        Drops = new DropCounters(context.Observer);
        Decisions = new DecisionRecorder(context.DecisionLog, context.Observer);
        Verifier = verifier;
        Certificates = new CertificateAnnouncer(this);
    }

    public ConsensusNodeContext Context { get; }

    public ConsensusOptions Options { get; }

    /// <summary>This node's directory index (its validator key's).</summary>
    public int OwnIndex { get; }

    public CommitteeSize CommitteeSize { get; }

    public InvitationPolicy InvitationPolicy { get; }

    public SafetyRules SafetyRules { get; }

    public DropCounters Drops { get; }

    public DecisionRecorder Decisions { get; }

    public VoteVerifier Verifier { get; }

    /// <summary>Announces the certificates this node builds (one copy per round across the network, normally).</summary>
    public CertificateAnnouncer Certificates { get; }

    public OutboundWriter Outbound { get; } = new();

    public PendingRequests Requests { get; } = new();

    public IConsensusNetwork Network => Context.Network;

    public INodeLoop Loop => Context.Loop;

    public TimeProvider Time => Context.Time;

    public IConsensusObserver Observer => Context.Observer;

    public ValidatorDirectory CurrentDirectory => Context.Directory.Current;

    public Secp256k1PrivateKey VrfKey => Context.VrfKey;

    /// <summary>Now, in the unix milliseconds every deadline on the wire is expressed in.</summary>
    public ulong NowUnixMs => (ulong)Math.Max(0, Time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>The validator key's signer, for invitations, replies and proposals (votes and attestations go through <see cref="SafetyRules"/> only).</summary>
    public IValidatorSigner Signer => Context.Signer;

    public void Drop(DropReason reason, int fromValidator) => Drops.Drop(reason, fromValidator);

    /// <summary>The vote pipeline's view of <paramref name="directory"/>, built once per epoch.</summary>
    public VoterRoster RosterFor(ValidatorDirectory directory)
    {
        if (!ReferenceEquals(directory, _rosterDirectory))
        {
            _roster = VoterRoster.From(directory);
            _rosterDirectory = directory;
        }
        return _roster!;
    }

    /// <summary>The time left until a wire deadline (negative once it has passed).</summary>
    public TimeSpan Until(ulong deadlineUnixMs) =>
        TimeSpan.FromMilliseconds((double)deadlineUnixMs - NowUnixMs);
}
