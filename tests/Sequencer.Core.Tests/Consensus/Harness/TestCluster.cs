using System.Text;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>
/// A handful of <see cref="ConsensusNode"/>s over one <see cref="Scheduler"/> and one <see cref="SimulatedNetwork"/>:
/// validator i's key is SHA-256("jmzk/sequencer/round-test/i"), every weight 1, chain 7.
/// </summary>
internal sealed class TestCluster : IDisposable
{
    public const ulong ChainId = 7;

    private static readonly Dictionary<int, Secp256k1PrivateKey> s_keys = [];

    private readonly NodeLife[] _lives;
    private readonly VotePipelineMode _mode;
    private readonly Func<int, Decision>? _decisionOf;
    private readonly Func<int, ConsensusOptions, ConsensusOptions>? _optionsOf;
    private readonly FixedValidatorDirectorySource _source;
    private readonly CommitteeCache? _committees;

    public TestCluster(
        int validators, ConsensusOptions options, VotePipelineMode mode = VotePipelineMode.Inline,
        Func<int, Decision>? decisionOf = null, Func<int, ConsensusOptions, ConsensusOptions>? optionsOf = null,
        CommitteeCache? committees = null)
    {
        _committees = committees;
        Options = options;
        Scheduler = new Scheduler();
        Network = new SimulatedNetwork(Scheduler);
        Time = new VirtualTime(Scheduler);
        var specs = new ValidatorSpec[validators];
        for (var i = 0; i < validators; i++)
        {
            var nodeKey = KeyOf(1000 + i);
            specs[i] = new ValidatorSpec(PeerId.FromPublicKey(new Secp256k1PeerPublicKey(nodeKey.PublicKey)), KeyOf(i).PublicKey,
                1, $"region-{i % 3}", [$"/ip4/10.0.0.{i + 1}/tcp/4001"]);
        }
        Directory = ValidatorDirectory.Create(ChainId, 0, specs);

        Nodes = new ConsensusNode[validators];
        Observers = new RecordingObserver[validators];
        Stores = new InMemorySafetyStore[validators];
        Logs = new InMemoryDecisionLog[validators];
        _lives = new NodeLife[validators];
        _mode = mode;
        _decisionOf = decisionOf;
        _optionsOf = optionsOf;
        _source = new FixedValidatorDirectorySource(Directory);
        for (var i = 0; i < validators; i++)
        {
            Observers[i] = new RecordingObserver();
            Stores[i] = new InMemorySafetyStore();
            Logs[i] = new InMemoryDecisionLog();
            Boot(i);
        }
    }

    /// <summary>7 main buddies (f = 2) and 3 backups: room for declines and silence in a 16-node network.</summary>
    public static ConsensusOptions SmallCommittee { get; } = new() { MaxMainPeers = 7, MaxBackupPeers = 3 };

    public ConsensusOptions Options { get; }

    public Scheduler Scheduler { get; }

    public SimulatedNetwork Network { get; }

    public VirtualTime Time { get; }

    public ValidatorDirectory Directory { get; }

    public ConsensusNode[] Nodes { get; }

    public RecordingObserver[] Observers { get; }

    public InMemorySafetyStore[] Stores { get; }

    public InMemoryDecisionLog[] Logs { get; }

    private void Boot(int i)
    {
        var life = _lives[i] = new NodeLife();
        var context = new ConsensusNodeContext(
            _optionsOf?.Invoke(i, Options) ?? Options, _source, new DeterministicSigner(KeyOf(i), i), KeyOf(i),
            Stores[i], Logs[i], Network.EndpointOf(i, life), new SchedulerLoop(Scheduler, life), Time,
            new FixedBlockValidator(_decisionOf?.Invoke(i) ?? Decision.Accept), new Random(i), Observers[i], _mode, _committees);
        Nodes[i] = new ConsensusNode(context);
        Network.Attach(i, Nodes[i]);
        Nodes[i].Start();
    }

    public static Secp256k1PrivateKey KeyOf(int i)
    {
        lock (s_keys)
        {
            if (!s_keys.TryGetValue(i, out var key))
            {
                var secret = new byte[32];
                Sha256.Hash(Encoding.UTF8.GetBytes($"jmzk/sequencer/round-test/{i}"), secret);
                s_keys[i] = key = Secp256k1PrivateKey.FromBytes(secret);
            }
            return key;
        }
    }

    public static Hash32 HashOf(string text)
    {
        var hash = default(Hash32);
        Sha256.Hash(Encoding.UTF8.GetBytes(text), hash);
        return hash;
    }

    public static ProposedBlock Block(ulong height, string name = "block") =>
        new(ChainId, height, HashOf($"parent {height}"), HashOf($"{name} {height}"), Encoding.UTF8.GetBytes($"{name} at {height}"));

    public static RoundId IdOf(ProposedBlock block) => new(block.ChainId, block.Height, block.BlockHash);

    /// <summary>The committee the VRF draws for <paramref name="block"/> with <paramref name="sequencer"/> proposing.</summary>
    public CommitteeSeats SeatsFor(int sequencer, ProposedBlock block) =>
        CommitteeSeats.Draw(Directory, Options.CommitteeSize, sequencer, KeyOf(sequencer), block.ChainId, block.Height, block.ParentHash);

    /// <summary>Starts a round at <paramref name="sequencer"/> and runs the cluster until its outcome (or twice the timeout).</summary>
    public RoundOutcome Run(int sequencer, ProposedBlock block)
    {
        var outcome = Nodes[sequencer].Consensus.StartAsync(block);
        Scheduler.RunUntil(() => outcome.IsCompleted, 2 * Options.ConsensusTimeout);
        return outcome.Completed();
    }

    /// <summary>Node <paramref name="index"/> dies: its queued work and its sends die with it; its stores survive.</summary>
    public void Crash(int index)
    {
        _lives[index].End();
        Nodes[index].Dispose();
        Network.DropSubscriptions(index);
        Network.Isolate(index);
    }

    /// <summary>A new node for validator <paramref name="index"/> over its surviving stores.</summary>
    public void Restart(int index)
    {
        Network.Reconnect(index);
        Boot(index);
    }

    public void Dispose()
    {
        foreach (var node in Nodes)
            node.Dispose();
    }
}
