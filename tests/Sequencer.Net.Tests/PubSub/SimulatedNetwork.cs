using System.Buffers;
using Microsoft.Extensions.Time.Testing;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>
/// Routers in one process, joined by in-memory links, on one fake clock. Every frame any router sends goes into one
/// queue in send order and <see cref="Pump"/> delivers them one by one, so a run depends only on the seeds.
/// </summary>
internal sealed class SimulatedNetwork : IDisposable
{
    private readonly Queue<(Link Link, byte[] Frame)> _inFlight = new();
    private readonly List<Task> _pending = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public List<Node> Nodes { get; } = [];

    /// <summary>When it returns true for a frame, the frame is lost.</summary>
    public Func<Link, byte[], bool>? Drop { get; set; }

    public int FramesDelivered { get; private set; }

    /// <summary>
    /// Adds a started router. Under StrictSign it signs with <paramref name="signer"/> and verifies with the real
    /// <see cref="PeerKeyVerifier"/> when one is given, else with a <see cref="FakeIdentity"/> drawn from the seed.
    /// </summary>
    public Node AddNode(int seed, GossipSubOptions? options = null, IPubSubSigner? signer = null)
    {
        var random = new Random(seed);
        options ??= new GossipSubOptions();
        IPubSubSignatureVerifier verifier = signer is null ? FakeIdentity.Verifier : new PeerKeyVerifier();
        signer ??= new FakeIdentity(random);
        var signed = options.SignaturePolicy == SignaturePolicy.StrictSign;
        var router = new GossipSubRouter(
            options, signer.PeerId, Time, random, signed ? signer : null, signed ? verifier : null);
        router.Start();
        var node = new Node(this, router, signer.PeerId.ToArray(), Nodes.Count);
        Nodes.Add(node);
        return node;
    }

    /// <summary>Connects two nodes (<paramref name="dialer"/> dialled) over a link pair.</summary>
    public void Connect(Node dialer, Node listener, PubSubProtocol protocol = PubSubProtocol.MeshSub11)
    {
        var toListener = new Link(this, dialer, listener);
        var toDialer = new Link(this, listener, dialer);
        var listenerAtDialer = dialer.Router.AddPeer(listener.PeerId, protocol, outbound: true, toListener);
        var dialerAtListener = listener.Router.AddPeer(dialer.PeerId, protocol, outbound: false, toDialer);
        toListener.ReceiverHandle = dialerAtListener;
        toDialer.ReceiverHandle = listenerAtDialer;
        dialer.Links[listener] = toListener;
        listener.Links[dialer] = toDialer;
    }

    /// <summary>Both ends notice the connection is gone.</summary>
    public void Disconnect(Node a, Node b)
    {
        var toB = a.Links[b];
        var toA = b.Links[a];
        a.Router.RemovePeer(toA.ReceiverHandle!);
        b.Router.RemovePeer(toB.ReceiverHandle!);
        toA.Close(new InvalidOperationException("disconnected"));
        toB.Close(new InvalidOperationException("disconnected"));
        a.Links.Remove(b);
        b.Links.Remove(a);
    }

    /// <summary>Connects every node to <paramref name="degree"/> others chosen with <paramref name="random"/>.</summary>
    public void ConnectRandomly(int degree, Random random)
    {
        foreach (var node in Nodes)
        {
            var others = Nodes.Where(other => other != node && !node.Links.ContainsKey(other)).ToList();
            while (node.Links.Count < degree && others.Count > 0)
            {
                var other = others[random.Next(others.Count)];
                others.Remove(other);
                Connect(node, other);
            }
        }
    }

    /// <summary>Delivers frames until none is in flight.</summary>
    public void Pump()
    {
        while (_inFlight.TryDequeue(out var item))
        {
            var (link, frame) = item;
            if (link.Closed || (Drop?.Invoke(link, frame) ?? false))
                continue;
            var buffer = new ReadOnlySequence<byte>(frame);
            if (RpcFrame.TryRead(ref buffer, int.MaxValue, out var rpc, out var error) != OperationStatus.Done || !buffer.IsEmpty)
                throw new InvalidOperationException($"a router sent a bad frame ({error})");
            FramesDelivered++;
            var receiving = link.To.Router.HandleRpcAsync(link.ReceiverHandle!, rpc);
            if (!receiving.IsCompleted)
                _pending.Add(receiving.AsTask());
        }
    }

    /// <summary>Moves the clock forward in small steps, delivering frames after each (heartbeats fire on the way).</summary>
    public void Run(TimeSpan duration)
    {
        var step = TimeSpan.FromMilliseconds(50);
        Pump();
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += step)
        {
            Time.Advance(step);
            Pump();
        }
    }

    /// <summary>Receives that waited on an asynchronous validator.</summary>
    public Task PendingReceives => Task.WhenAll(_pending);

    public void Dispose()
    {
        foreach (var node in Nodes)
            node.Router.Dispose();
    }

    public sealed class Node(SimulatedNetwork network, GossipSubRouter router, byte[] peerId, int index)
    {
        public GossipSubRouter Router { get; } = router;
        public int Index { get; } = index;
        public byte[] PeerId { get; } = peerId;
        public Dictionary<Node, Link> Links { get; } = [];
        public List<PubSubMessage> Received { get; } = [];

        public void Subscribe(string topic) => Router.Subscribe(topic, message => Received.Add(message));

        public PublishResult Publish(string topic, byte[] data)
        {
            var result = Router.Publish(topic, data);
            network.Pump();
            return result;
        }

        public override string ToString() => $"node {Index}";
    }

    public sealed class Link(SimulatedNetwork network, Node from, Node to) : IPubSubPeerLink
    {
        public Node From { get; } = from;
        public Node To { get; } = to;
        public PubSubPeer? ReceiverHandle { get; set; }
        public bool Closed { get; private set; }
        public Exception? CloseReason { get; private set; }

        public bool TrySend(ReadOnlySpan<byte> frame)
        {
            if (Closed)
                return false;
            network._inFlight.Enqueue((this, frame.ToArray()));
            return true;
        }

        public void Close(Exception reason)
        {
            Closed = true;
            CloseReason = reason;
        }
    }
}
