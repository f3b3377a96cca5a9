using System.Collections.Concurrent;
using System.Text;
using Sequencer.Core.Consensus;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;
using Sequencer.Net.Consensus;
using Sequencer.Net.Host;
using Sequencer.Net.Tests.Host;

namespace Sequencer.Net.Tests.Consensus;

/// <summary>
/// Validators in one process, each a <see cref="ConsensusNode"/> over its own <see cref="Libp2pHost"/> on 127.0.0.1
/// through the production adapter (<see cref="Libp2pConsensusNetwork"/>, <see cref="SerialNodeLoop"/>): the whole
/// stack below the engine is real — TCP, Noise, yamux, GossipSub, the request streams.
/// </summary>
internal sealed class LoopbackNetwork : IAsyncDisposable
{
    public const ulong ChainId = 5;

    private LoopbackNetwork(ValidatorDirectory directory, Validator[] validators)
    {
        Directory = directory;
        Validators = validators;
    }

    public ValidatorDirectory Directory { get; }

    public Validator[] Validators { get; }

    /// <summary>Starts <paramref name="count"/> hosts, writes the directory of their addresses, then builds and starts a node on each.</summary>
    public static async Task<LoopbackNetwork> StartAsync(int count, ConsensusOptions options)
    {
        var hosts = new TestHost[count];
        var keys = new Secp256k1PrivateKey[count];
        var specs = new ValidatorSpec[count];
        for (var i = 0; i < count; i++)
        {
            hosts[i] = TestHost.Start();
            keys[i] = Secp256k1PrivateKey.Generate();
            specs[i] = new ValidatorSpec(hosts[i].PeerId, keys[i].PublicKey, 1, "loopback", [hosts[i].Host.ListenAddresses[0].WithoutPeerId().ToString()]);
        }
        var directory = ValidatorDirectory.Create(ChainId, 0, specs);
        var validators = new Validator[count];
        for (var i = 0; i < count; i++)
            validators[i] = new Validator(hosts[i], keys[i], directory, options);
        foreach (var validator in validators)
            await validator.StartAsync();
        return new LoopbackNetwork(directory, validators);
    }

    /// <summary>Waits until every validator is connected to every other (a guard on a hang, not a measurement).</summary>
    public Task ConnectedAsync() => Eventually.TrueAsync(() =>
    {
        foreach (var validator in Validators)
        {
            if (validator.Network.ConnectedValidators < Validators.Length - 1)
                return false;
        }
        return true;
    }, "every validator connected to every other");

    public static Hash32 HashOf(string text)
    {
        var hash = default(Hash32);
        Sha256.Hash(Encoding.UTF8.GetBytes(text), hash);
        return hash;
    }

    public static ProposedBlock Block(ulong height) =>
        new(ChainId, height, HashOf($"parent {height}"), HashOf($"block {height}"), Encoding.UTF8.GetBytes($"block at {height}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var validator in Validators)
            await validator.DisposeAsync();
    }

    internal sealed class Validator : IAsyncDisposable
    {
        private readonly TestHost _host;
        private readonly Secp256k1PrivateKey _key;

        public Validator(TestHost host, Secp256k1PrivateKey key, ValidatorDirectory directory, ConsensusOptions options)
        {
            _host = host;
            _key = key;
            Index = directory.TryGetByPeerId(host.PeerId, out var self) ? self.Index : throw new InvalidOperationException("not in the directory");
            Loop = new SerialNodeLoop(Faults.Enqueue);
            Network = new Libp2pConsensusNetwork(host.Host, new FixedValidatorDirectorySource(directory), Loop);
            Node = new ConsensusNode(new ConsensusNodeContext(
                options, new FixedValidatorDirectorySource(directory), new KeySigner(key, Index), key, new InMemorySafetyStore(), Log,
                Network, Loop, TimeProvider.System, new AcceptingValidator(), new Random(Index), Observer, VotePipelineMode.Inline));
        }

        public int Index { get; }

        public SerialNodeLoop Loop { get; }

        public Libp2pConsensusNetwork Network { get; }

        public ConsensusNode Node { get; }

        public InMemoryDecisionLog Log { get; } = new();

        public CertificateObserver Observer { get; } = new();

        public ConcurrentQueue<Exception> Faults { get; } = new();

        public Libp2pHost Host => _host.Host;

        public async Task StartAsync()
        {
            Network.Start(Node);
            await Loop.InvokeAsync(Node.Start);
        }

        /// <summary>The decision log's records, read on the loop.</summary>
        public Task<DecisionRecord[]> DecisionsAsync() => Loop.InvokeAsync(() => Log.ReadAll().ToArray());

        public async ValueTask DisposeAsync()
        {
            await Loop.InvokeAsync(Node.Stop);
            await Network.DisposeAsync();
            Node.Dispose();
            await _host.DisposeAsync();
            _key.Dispose();
        }
    }

    internal sealed class KeySigner(Secp256k1PrivateKey key, int index) : IValidatorSigner
    {
        public int ValidatorIndex { get; } = index;

        public void Sign(ReadOnlySpan<byte> digest32, Span<byte> signature64) => key.SignSchnorr(digest32, signature64);
    }

    internal sealed class AcceptingValidator : IBlockValidator
    {
        public ValueTask<Decision> ValidateAsync(ProposedBlock block, CancellationToken cancellationToken) => ValueTask.FromResult(Decision.Accept);
    }

    /// <summary>Counts the certificates a node logged (on its loop).</summary>
    internal sealed class CertificateObserver : IConsensusObserver
    {
        private int _certificates;

        public int Certificates => Volatile.Read(ref _certificates);

        public void OnCertificateLogged(RoundId round, Decision value, ReadOnlySpan<byte> certificate) => Interlocked.Increment(ref _certificates);
    }
}
