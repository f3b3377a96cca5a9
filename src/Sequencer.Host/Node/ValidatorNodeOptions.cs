using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Validators;
using Sequencer.Net.Consensus;

namespace Sequencer.Host.Node;

/// <summary>How a <see cref="ValidatorNode"/> runs beyond its <c>NodeConfiguration</c>: the process's flags, or the in-process cluster's choices.</summary>
internal sealed record ValidatorNodeOptions
{
    public static ValidatorNodeOptions Default { get; } = new();

    /// <summary>Threaded (a validator process) or inline (many in-process voters sharing the machine's cores).</summary>
    public VotePipelineMode PipelineMode { get; init; } = VotePipelineMode.Threaded;

    /// <summary>Serve metrics when the configuration enables them; false overrides the configuration (in-process voters).</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>Report every signed vote and attestation produced or verified (<see cref="IValidatorNodeListener.OnSigned"/>).</summary>
    public bool TraceSigned { get; init; }

    /// <summary>
    /// Committee derivations shared with the other nodes of this process (the cluster's in-process voters: a thousand
    /// nodes verify the same round's committee proof once, not a thousand times); null: this node derives alone.
    /// </summary>
    public CommitteeCache? CommitteeCache { get; init; }

    /// <summary>
    /// The directory, already read, shared with the other nodes of this process; used only when its path is the
    /// configuration's <c>directory</c>. The cluster's thousand voters would otherwise each parse the same file —
    /// every validator's keys, a thousand times over — costing seconds of start-up and a megabyte of memory per voter.
    /// </summary>
    public FileValidatorDirectorySource? SharedDirectory { get; init; }

    public ByzantineBehaviour Byzantine { get; init; } = ByzantineBehaviour.None;

    /// <summary>Who hears the node's events (the control protocol, the cluster); null: nobody.</summary>
    public IValidatorNodeListener? Listener { get; init; }

    /// <summary>The adapter's settings (connection keeping, inbound request lifetime); null: defaults.</summary>
    public ConsensusNetworkOptions? Network { get; init; }

    /// <summary>The bound on each step of a graceful stop (the engine's stop, the network's, the host's close).</summary>
    public TimeSpan StopStepTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
