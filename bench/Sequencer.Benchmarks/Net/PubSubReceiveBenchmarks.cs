using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Sequencer.Core.Identity;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Benchmarks.Net;

/// <summary>
/// One read of a peer's stream bringing 64 frames, each a new StrictSign message (100 bytes of data, Ed25519, as js
/// and our publisher send them), through <see cref="GossipSubRouter.ReadFromAsync"/> to a subscriber and D mesh
/// peers: the signatures checked on the receiving thread alone (baseline, <see cref="GossipSubOptions.SignatureCheckHelpers"/>
/// 0) and with one helper thread checking ahead. The ratio is what the second core buys a receiver that is bound by
/// signature checks; it cannot beat 0.5 and comes near it only with a core to spare.
/// </summary>
[MemoryDiagnoser]
public class PubSubReceiveBenchmarks
{
    private const string Topic = "perf";
    private const int FramesPerRead = 64;
    private const int Reads = 16;

    private readonly PubSubBenchmarkClock _clock = new();
    private PeerPrivateKey _author = null!;
    private PeerPrivateKey _node = null!;
    private PeerPrivateKey _source = null!;
    private GossipSubRouter _sequential = null!;
    private GossipSubRouter _parallel = null!;
    private byte[][] _reads = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _author = PeerPrivateKey.Generate(KeyType.Ed25519);
        _node = PeerPrivateKey.Generate(KeyType.Ed25519);
        _source = PeerPrivateKey.Generate(KeyType.Ed25519);
        _sequential = CreateRouter(0);
        _parallel = CreateRouter(1);

        var author = new PeerKeySigner(_author);
        var topic = System.Text.Encoding.UTF8.GetBytes(Topic);
        _reads = new byte[Reads][];
        for (var read = 0; read < Reads; read++)
        {
            var frames = new List<byte>();
            for (var i = 0; i < FramesPerRead; i++)
            {
                var seqno = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(seqno, (ulong)(read * FramesPerRead + i));
                var unsigned = new MessageFields
                {
                    Present = MessageFieldFlags.From | MessageFieldFlags.Data | MessageFieldFlags.Seqno | MessageFieldFlags.Topic,
                    From = author.PeerId.Span,
                    Data = new byte[100],
                    Seqno = seqno,
                    Topic = topic,
                };
                var payload = new byte[MessageEncoder.GetSignaturePayloadSize(unsigned)];
                MessageEncoder.WriteSignaturePayload(unsigned, payload);
                var signature = new byte[author.MaxSignatureLength];
                var length = author.Sign(payload, signature);
                var signed = unsigned with
                {
                    Present = unsigned.Present | MessageFieldFlags.Signature | MessageFieldFlags.Key,
                    Signature = signature.AsSpan(0, length),
                    Key = author.PublicKey.Span,
                };
                var message = new byte[MessageEncoder.GetSize(signed)];
                MessageEncoder.Write(signed, message);
                var rpc = new RpcBuilder();
                rpc.AddMessage(message);
                var frame = new byte[rpc.FrameSize];
                frames.AddRange(frame.AsSpan(0, rpc.WriteFrame(frame)));
            }
            _reads[read] = [.. frames];
        }
    }

    private GossipSubRouter CreateRouter(int helpers)
    {
        var signer = new PeerKeySigner(_node);
        var router = new GossipSubRouter(new GossipSubOptions { SignatureCheckHelpers = helpers }, signer.PeerId, _clock,
            new Random(1), signer, new PeerKeyVerifier());
        router.Subscribe(Topic, static _ => { });
        var hello = new RpcBuilder();
        hello.AddSubscription(true, System.Text.Encoding.UTF8.GetBytes(Topic));
        hello.AddGraft(System.Text.Encoding.UTF8.GetBytes(Topic));
        for (var i = 0; i < 6; i++)
        {
            using var peerKey = PeerPrivateKey.Generate(KeyType.Ed25519);
            var peer = router.AddPeer(peerKey.PublicKey.ToPeerId().Bytes, PubSubProtocol.MeshSub11, false, new PubSubSinkLink(new byte[1024]));
            router.HandleRpcAsync(peer, new ReadOnlySequence<byte>(PubSubBenchmarkRpcs.Body(hello))).AsTask().GetAwaiter().GetResult();
        }
        return router;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sequential.Dispose();
        _parallel.Dispose();
        _author.Dispose();
        _node.Dispose();
        _source.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerRead)]
    public void CheckOnReceivingThread() => Receive(_sequential);

    [Benchmark(OperationsPerInvoke = FramesPerRead)]
    public void CheckWithOneHelper() => Receive(_parallel);

    private void Receive(GossipSubRouter router)
    {
        if (_next == Reads)
        {
            // Every message was seen: forget them all (the seen cache's TTL passes) and start over.
            _next = 0;
            _clock.Advance(TimeSpan.FromSeconds(121));
            _sequential.Heartbeat();
            _parallel.Heartbeat();
        }
        var before = router.Counters.DeliveredCount;
        // The stream ends after the read, which removes the peer: it joins again for the next one.
        var peer = router.AddPeer(_source.PublicKey.ToPeerId().Bytes, PubSubProtocol.MeshSub11, false, new PubSubSinkLink(null));
        router.ReadFromAsync(peer, PipeReader.Create(new ReadOnlySequence<byte>(_reads[_next++]))).GetAwaiter().GetResult();
        if (router.Counters.DeliveredCount - before != FramesPerRead)
            throw new InvalidOperationException($"{router.Counters.DeliveredCount - before} of {FramesPerRead} messages delivered");
    }
}
