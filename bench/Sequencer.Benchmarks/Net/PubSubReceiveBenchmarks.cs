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
/// A peer's stream bringing 64 frames in one write, each a new StrictSign message (100 bytes of data, Ed25519, as js
/// and our publisher send them), read by a long-running <see cref="GossipSubRouter.ReadFromAsync"/> and delivered to
/// a subscriber and forwarded to D mesh peers; the figure is per message. Baseline: the signatures checked on the
/// receiving thread alone (<see cref="GossipSubOptions.SignatureCheckHelpers"/> 0); then with one helper thread
/// checking ahead. The ratio is what a second core buys a receiver bound by signature checks: it cannot beat 0.5 and
/// comes near it only with a core to spare. Allocation: the message each delivery keeps (cache, subscriber).
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
    private Receiver _sequential = null!;
    private Receiver _parallel = null!;
    private byte[][] _reads = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _author = PeerPrivateKey.Generate(KeyType.Ed25519);
        _node = PeerPrivateKey.Generate(KeyType.Ed25519);
        _source = PeerPrivateKey.Generate(KeyType.Ed25519);
        _sequential = new Receiver(handler => CreateRouter(0, handler), _source);
        _parallel = new Receiver(handler => CreateRouter(1, handler), _source);

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

    /// <summary>A router subscribed to the topic with <paramref name="handler"/>, its mesh of D sink peers formed.</summary>
    private GossipSubRouter CreateRouter(int helpers, PubSubMessageHandler handler)
    {
        var signer = new PeerKeySigner(_node);
        var router = new GossipSubRouter(new GossipSubOptions { SignatureCheckHelpers = helpers }, signer.PeerId, _clock,
            new Random(1), signer, new PeerKeyVerifier());
        router.Subscribe(Topic, handler);
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

    private void Receive(Receiver receiver)
    {
        if (_next == Reads)
        {
            // Every message was seen: forget them all (the seen cache's TTL passes) and start over.
            _next = 0;
            _clock.Advance(TimeSpan.FromSeconds(121));
            _sequential.Router.Heartbeat();
            _parallel.Router.Heartbeat();
        }
        receiver.Receive(_reads[_next++], FramesPerRead);
    }

    /// <summary>A router reading one peer's stream for the whole run; each <see cref="Receive"/> writes to it and waits for the deliveries.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly Pipe _stream = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        private readonly SemaphoreSlim _delivered = new(0);
        private readonly Task _reading;
        private int _awaited;
        private int _count;

        public Receiver(Func<PubSubMessageHandler, GossipSubRouter> createRouter, PeerPrivateKey source)
        {
            var router = Router = createRouter(_ =>
            {
                if (++_count == _awaited)
                    _delivered.Release();
            });
            var peer = router.AddPeer(source.PublicKey.ToPeerId().Bytes, PubSubProtocol.MeshSub11, false, new PubSubSinkLink(null));
            _reading = Task.Run(() => router.ReadFromAsync(peer, _stream.Reader));
        }

        public GossipSubRouter Router { get; }

        public void Receive(byte[] frames, int messages)
        {
            _count = 0;
            _awaited = messages;
            _stream.Writer.Write(frames);
            _stream.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
            if (!_delivered.Wait(TimeSpan.FromSeconds(10)))
                throw new InvalidOperationException($"{_count} of {messages} messages delivered");
        }

        public void Dispose()
        {
            _stream.Writer.Complete();
            _reading.GetAwaiter().GetResult();
            Router.Dispose();
        }
    }
}
