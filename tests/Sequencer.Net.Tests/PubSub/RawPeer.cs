using System.Buffers;
using System.Text;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>A peer the test drives by hand: it sends hand-built RPCs into a router and records what the router sends back.</summary>
internal sealed class RawPeer : IPubSubPeerLink
{
    public RawPeer(GossipSubRouter router, FakeIdentity identity,
        PubSubProtocol protocol = PubSubProtocol.MeshSub11, bool outbound = false)
    {
        Router = router;
        Identity = identity;
        Handle = router.AddPeer(identity.PeerIdBytes, protocol, outbound, this);
    }

    public GossipSubRouter Router { get; }
    public FakeIdentity Identity { get; }
    public PubSubPeer Handle { get; }
    public List<RpcView> Received { get; } = [];
    public bool Closed { get; private set; }
    public Exception? CloseReason { get; private set; }

    public bool TrySend(ReadOnlySpan<byte> frame)
    {
        if (Closed)
            return false;
        Received.Add(RpcView.FromFrame(frame.ToArray()));
        return true;
    }

    public void Close(Exception reason)
    {
        Closed = true;
        CloseReason = reason;
    }

    /// <summary>Hands one frame to the router and waits for it to be handled.</summary>
    public RpcError Send(byte[] frame) => SendAsync(frame).AsTask().GetAwaiter().GetResult();

    public ValueTask<RpcError> SendAsync(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        if (RpcFrame.TryRead(ref buffer, int.MaxValue, out var rpc, out _) != OperationStatus.Done)
            throw new ArgumentException("not a frame", nameof(frame));
        return Router.HandleRpcAsync(Handle, rpc);
    }

    public RpcError Send(Action<RpcBuilder> build)
    {
        var builder = new RpcBuilder();
        build(builder);
        return Send(TestMessages.Frame(builder));
    }

    public void Subscribe(string topic) => Send(b => b.AddSubscription(true, Encoding.UTF8.GetBytes(topic)));

    public void Graft(string topic) => Send(b => b.AddGraft(Encoding.UTF8.GetBytes(topic)));

    public IEnumerable<byte[]> ReceivedMessages => Received.SelectMany(rpc => rpc.Messages);

    public IEnumerable<string> ReceivedGrafts => Received.SelectMany(rpc => rpc.Grafts);

    public IEnumerable<(string Topic, ulong? Backoff, int Peers)> ReceivedPrunes => Received.SelectMany(rpc => rpc.Prunes);
}
