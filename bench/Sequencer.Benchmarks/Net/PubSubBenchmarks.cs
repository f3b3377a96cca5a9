using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Benchmarks.Net;

/// <summary>
/// One publish RPC carrying a 100-byte message, through the codec and through a router that forwards it to its D
/// (6) mesh peers. The baseline is the least any relay does: copy the frame once for each of the D peers. Peer links
/// copy each frame into a buffer, as a real outbound queue would.
/// <para>
/// StrictSign: a full js-shaped message (from, data, seqno, topic, 64-byte signature, key) with the js id
/// (key ‖ seqno); the signature check is an accept-all stand-in, so the figure is the router's own — a real
/// Ed25519 or secp256k1 verify adds one verification per new message (never per duplicate). StrictNoSign: data and
/// topic only; its js id is sha256(data), paid for every copy. A new message costs one owned copy (kept for IWANT
/// and subscribers) and the D sends; a duplicate — five of every six copies a node receives — costs the decode,
/// the id and a lookup, and allocates nothing.
/// </para>
/// </summary>
[MemoryDiagnoser]
public class PubSubBenchmarks
{
    private const string Topic = "consensus/round/1";
    private const int MessagesPerHeartbeat = 1000;

    private readonly PubSubBenchmarkClock _clock = new();
    private readonly RpcDecoder _decoder = new();
    private readonly RpcBuilder _builder = new();
    private readonly byte[] _frameOut = new byte[512];
    private readonly byte[][] _sinks = new byte[6][];
    private GossipSubRouter _router = null!;
    private PubSubPeer _source = null!;
    private byte[] _message = null!;
    private byte[] _frame = null!;
    private byte[] _duplicateFrame = null!;
    private int _uniqueOffset;
    private ulong _counter;

    [Params(SignaturePolicy.StrictSign, SignaturePolicy.StrictNoSign)]
    public SignaturePolicy Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _sinks.Length; i++)
            _sinks[i] = new byte[512];
        var options = new GossipSubOptions { SignaturePolicy = Policy, FloodPublish = false };
        var identity = new StandInIdentity(PeerId(0));
        _router = Policy == SignaturePolicy.StrictSign
            ? new GossipSubRouter(options, identity.PeerId, _clock, new Random(1), identity, identity)
            : new GossipSubRouter(options, identity.PeerId, _clock, new Random(1));
        _router.Subscribe(Topic, static _ => { });

        var subscribeAndGraft = new RpcBuilder();
        subscribeAndGraft.AddSubscription(true, System.Text.Encoding.UTF8.GetBytes(Topic));
        subscribeAndGraft.AddGraft(System.Text.Encoding.UTF8.GetBytes(Topic));
        var hello = PubSubBenchmarkRpcs.Body(subscribeAndGraft);
        for (var i = 0; i <= options.D; i++)
        {
            var peer = _router.AddPeer(PeerId(i + 1), PubSubProtocol.MeshSub11, outbound: false,
                i == 0 ? new PubSubSinkLink(null) : new PubSubSinkLink(_sinks[i - 1]));
            if (_router.HandleRpcAsync(peer, new ReadOnlySequence<byte>(hello)).Result != RpcError.None)
                throw new InvalidOperationException("setup RPC refused");
            if (i == 0)
                _source = peer;
        }
        if (_router.GetMeshPeers(Topic).Count != options.D + 1)
            throw new InvalidOperationException("the mesh did not form");

        var data = new byte[100];
        for (var i = 0; i < data.Length; i++)
            data[i] = (byte)(i + 1);
        var seqno = "seqno-01"u8.ToArray();
        _message = Encode(Policy, PeerId(99), Topic, data, seqno);
        _builder.AddMessage(_message);
        _frame = PubSubBenchmarkRpcs.Body(_builder);
        _uniqueOffset = _frame.AsSpan().IndexOf(Policy == SignaturePolicy.StrictSign ? seqno : data);
        _duplicateFrame = _frame.ToArray();
        if (_router.HandleRpcAsync(_source, new ReadOnlySequence<byte>(_duplicateFrame)).Result != RpcError.None)
            throw new InvalidOperationException("the duplicate's first copy was refused");
    }

    [GlobalCleanup]
    public void Cleanup() => _router.Dispose();

    [Benchmark(Baseline = true)]
    public int CopyFrameToDPeers()
    {
        foreach (var sink in _sinks)
            _frame.CopyTo(sink, 0);
        return _frame.Length;
    }

    [Benchmark]
    public int EncodeAndDecode()
    {
        _builder.Clear();
        _builder.AddMessage(_message);
        var written = _builder.WriteFrame(_frameOut);
        if (_decoder.Decode(_frameOut.AsMemory(written - _builder.RpcSize, _builder.RpcSize), RpcLimits.Default) != RpcError.None)
            throw new InvalidOperationException("decode failed");
        return _decoder.Messages[0].Layout.Data.Length;
    }

    [Benchmark]
    public RpcError RouteNewMessageToDPeers()
    {
        // A fresh id every time (a new seqno, or new data under StrictNoSign); a heartbeat now and then keeps the
        // caches at their steady-state size, as a live router's would be.
        BinaryPrimitives.WriteUInt64LittleEndian(_frame.AsSpan(_uniqueOffset), ++_counter);
        if (_counter % MessagesPerHeartbeat == 0)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            _router.Heartbeat();
        }
        return _router.HandleRpcAsync(_source, new ReadOnlySequence<byte>(_frame)).Result;
    }

    [Benchmark]
    public RpcError RouteDuplicate() =>
        _router.HandleRpcAsync(_source, new ReadOnlySequence<byte>(_duplicateFrame)).Result;

    private static byte[] PeerId(int index)
    {
        // An identity multihash of an Ed25519-shaped key protobuf, as js peer ids are.
        var id = new byte[38];
        id[1] = 36;
        id[2] = 0x08;
        id[3] = 0x01;
        id[4] = 0x12;
        id[5] = 0x20;
        BinaryPrimitives.WriteInt32BigEndian(id.AsSpan(34), index);
        return id;
    }

    private static byte[] Encode(SignaturePolicy policy, byte[] author, string topic, byte[] data, byte[] seqno)
    {
        var signed = policy == SignaturePolicy.StrictSign;
        var fields = new MessageFields
        {
            Present = signed
                ? MessageFieldFlags.From | MessageFieldFlags.Data | MessageFieldFlags.Seqno | MessageFieldFlags.Topic
                    | MessageFieldFlags.Signature | MessageFieldFlags.Key
                : MessageFieldFlags.Data | MessageFieldFlags.Topic,
            From = signed ? author : default,
            Data = data,
            Seqno = signed ? seqno : default,
            Topic = System.Text.Encoding.UTF8.GetBytes(topic),
            Signature = signed ? new byte[64] : default,
            Key = signed ? author.AsSpan(2) : default,
        };
        var message = new byte[MessageEncoder.GetSize(fields)];
        MessageEncoder.Write(fields, message);
        return message;
    }

    /// <summary>Signing and verification reduced to nothing, so the figures are the router's (see the class summary).</summary>
    private sealed class StandInIdentity(byte[] peerId) : IPubSubSigner, IPubSubSignatureVerifier
    {
        public ReadOnlyMemory<byte> PeerId => peerId;

        public ReadOnlyMemory<byte> PublicKey => peerId.AsMemory(2);

        public int MaxSignatureLength => 64;

        public int Sign(ReadOnlySpan<byte> payload, Span<byte> signature)
        {
            signature[..64].Clear();
            return 64;
        }

        public SignatureCheck Verify(
            ReadOnlySpan<byte> from, ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature) =>
            SignatureCheck.Valid;
    }
}
