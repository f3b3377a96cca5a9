using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Simulation.Byzantine;

namespace Sequencer.Simulation.Nodes;

/// <summary>
/// One incarnation of a simulated validator: a real <see cref="ConsensusNode"/> wired to the host's simulated ports —
/// its endpoint (through a Byzantine behaviour, if it has one), its loop and clock, its incarnation's seeded random,
/// a signer with deterministic auxiliary randomness, the host's durable stores, the inline vote pipeline, and the run's
/// shared <see cref="CommitteeCache"/> (one derivation per round for the whole run instead of one per node).
/// </summary>
public sealed class ConsensusProcess : IHostedProcess
{
    private readonly ByzantineBehaviour? _behaviour;
    private readonly ByzantineContext? _byzantine;

    public ConsensusProcess(
        HostStart start, ValidatorSet validators, int validatorIndex, ConsensusOptions options,
        IBlockValidator blockValidator, IConsensusObserver observer, ByzantineBehaviour? behaviour,
        Action<Hash32>? onSigned = null, CommitteeCache? committeeCache = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(validators);
        var key = validators.KeyOf(validatorIndex);
        IConsensusNetwork network = start.Endpoint;
        if (behaviour is not null)
        {
            _behaviour = behaviour;
            _byzantine = new ByzantineContext(start.Endpoint, key, validators.Directory, options.CommitteeSize, start.Random, start.Scope);
            network = new AdversarialNetwork(behaviour, _byzantine);
        }
        Node = new ConsensusNode(new ConsensusNodeContext(
            options,
            new FixedValidatorDirectorySource(validators.Directory),
            new SimulatedSigner(key, validatorIndex, start.Random, onSigned),
            key,
            start.SafetyStore,
            start.DecisionLog,
            network,
            start.Loop,
            start.Time,
            blockValidator,
            start.Random,
            observer,
            VotePipelineMode.Inline,
            committeeCache));
        Events = behaviour is null ? Node : new AdversarialEvents(behaviour, _byzantine!, Node);
    }

    public ConsensusNode Node { get; }

    public INetworkEvents Events { get; }

    public void Start()
    {
        Node.Start();
        if (_behaviour is not null)
            _behaviour.OnStart(_byzantine!);
    }
}
