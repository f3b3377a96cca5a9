using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sequencer.Core.Identity;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Benchmarks.Net;

/// <summary>
/// A new StrictSign message (100 bytes of data, signed by a real libp2p identity) through a router to its D mesh
/// peers, against the one thing that must happen to it: verifying its signature (a bare
/// <see cref="PeerPublicKey.Verify"/> of the same payload). The ratio is the router's overhead on top of the
/// cryptography; a duplicate copy never reaches the verifier (see <see cref="PubSubBenchmarks"/>).
/// </summary>
[MemoryDiagnoser]
public class PubSubSignedBenchmarks
{
    private const string Topic = "consensus/round/1";
    private const int Messages = 1024;

    private readonly PubSubBenchmarkClock _clock = new();
    private PeerPrivateKey _author = null!;
    private PeerPrivateKey _node = null!;
    private GossipSubRouter _router = null!;
    private PubSubPeer _source = null!;
    private byte[][] _rpcs = null!;
    private byte[] _payload = null!;
    private byte[] _signature = null!;
    private int _next;

    [Params(KeyType.Ed25519, KeyType.Secp256k1)]
    public KeyType Key { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _author = PeerPrivateKey.Generate(Key);
        _node = PeerPrivateKey.Generate(KeyType.Ed25519);
        var signer = new PeerKeySigner(_node);
        _router = new GossipSubRouter(new GossipSubOptions(), signer.PeerId, _clock, new Random(1), signer, new PeerKeyVerifier());
        _router.Subscribe(Topic, static _ => { });
        var hello = new RpcBuilder();
        hello.AddSubscription(true, System.Text.Encoding.UTF8.GetBytes(Topic));
        hello.AddGraft(System.Text.Encoding.UTF8.GetBytes(Topic));
        for (var i = 0; i <= 6; i++)
        {
            using var peerKey = PeerPrivateKey.Generate(KeyType.Ed25519);
            var peer = _router.AddPeer(peerKey.PublicKey.ToPeerId().Bytes, PubSubProtocol.MeshSub11, false, new PubSubSinkLink(new byte[1024]));
            _router.HandleRpcAsync(peer, new ReadOnlySequence<byte>(PubSubBenchmarkRpcs.Body(hello))).AsTask().GetAwaiter().GetResult();
            if (i == 0)
                _source = peer;
        }

        // Distinct messages (seqnos), signed up front; the benchmark cycles through them, clearing the seen cache
        // between cycles by moving the clock past its TTL.
        var author = new PeerKeySigner(_author);
        _rpcs = new byte[Messages][];
        for (var i = 0; i < Messages; i++)
        {
            var seqno = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(seqno, (ulong)i);
            var unsigned = new MessageFields
            {
                Present = MessageFieldFlags.From | MessageFieldFlags.Data | MessageFieldFlags.Seqno | MessageFieldFlags.Topic,
                From = author.PeerId.Span,
                Data = new byte[100],
                Seqno = seqno,
                Topic = System.Text.Encoding.UTF8.GetBytes(Topic),
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
            _rpcs[i] = PubSubBenchmarkRpcs.Body(rpc);
            _payload = payload;
            _signature = signature[..length];
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _router.Dispose();
        _author.Dispose();
        _node.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool VerifySignatureOnly() => _author.PublicKey.Verify(_payload, _signature);

    [Benchmark]
    public RpcError RouteNewSignedMessageToDPeers()
    {
        if (_next == Messages)
        {
            _next = 0;
            _clock.Advance(TimeSpan.FromSeconds(121));
            _router.Heartbeat();
        }
        return _router.HandleRpcAsync(_source, new ReadOnlySequence<byte>(_rpcs[_next++])).Result;
    }
}
