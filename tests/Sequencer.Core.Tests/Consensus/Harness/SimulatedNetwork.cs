using Sequencer.Core.Ports;

namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>
/// A small in-process network for the round tests: every delivery takes <see cref="Latency"/> of virtual time, topic
/// messages pass the receiver's validator first, a request ends in exactly one response or failure (its timeout), and
/// an isolated node neither sends nor receives anything (a silent, crashed or partitioned validator). The full
/// fault-injecting simulation lives in the simulation tests; this is just enough to drive whole rounds.
/// </summary>
internal sealed class SimulatedNetwork(Scheduler scheduler)
{
    private readonly Dictionary<int, INetworkEvents> _nodes = [];
    private readonly Dictionary<string, Dictionary<int, ITopicValidator>> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Call> _inbound = [];
    private readonly HashSet<int> _isolated = [];
    private long _nextInbound;

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Requests (from, to, protocol) for which this returns false are lost on the way (the sender times out).</summary>
    public Func<int, int, SequencerProtocol, bool> DeliverRequest { get; set; } = static (_, _, _) => true;

    /// <summary>Topic messages (topic, from, to, payload) for which this returns false are lost on the way.</summary>
    public Func<string, int, int, byte[], bool> DeliverTopicMessage { get; set; } = static (_, _, _, _) => true;

    /// <summary>Every publication: topic, author, bytes.</summary>
    public List<(string Topic, int From, byte[] Payload)> Published { get; } = [];

    /// <summary>Topic messages a receiver's validator rejected.</summary>
    public int Rejected { get; private set; }

    public void Attach(int index, INetworkEvents node) => _nodes[index] = node;

    /// <summary>Forgets every subscription of <paramref name="index"/> (a crashed node's topics go with it).</summary>
    public void DropSubscriptions(int index)
    {
        foreach (var subscribers in _topics.Values)
            subscribers.Remove(index);
    }

    public void Isolate(int index) => _isolated.Add(index);

    public void Reconnect(int index) => _isolated.Remove(index);

    public bool IsSubscribed(int index, string topic) => _topics.TryGetValue(topic, out var subscribers) && subscribers.ContainsKey(index);

    public IConsensusNetwork EndpointOf(int index, NodeLife? life = null) => new Endpoint(this, index, life ?? new NodeLife());

    private bool IsUp(int index) => !_isolated.Contains(index) && _nodes.ContainsKey(index);

    private void SendRequest(int from, int to, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id, TimeSpan timeout)
    {
        var copy = payload.ToArray();
        var call = new Call(from, id);
        scheduler.At(timeout, () =>
        {
            if (call.Done)
                return;
            call.Done = true;
            if (IsUp(from))
                _nodes[from].OnRequestFailed(id, to, RequestFailure.TimedOut);
        });
        if (!IsUp(from))
            return;
        scheduler.At(Latency, () =>
        {
            if (!IsUp(to) || !DeliverRequest(from, to, protocol))
                return;
            var inbound = ++_nextInbound;
            _inbound[inbound] = call;
            _nodes[to].OnRequest(new InboundRequestId(inbound), from, protocol, copy);
        });
    }

    private void SendResponse(int from, InboundRequestId request, ReadOnlyMemory<byte> payload)
    {
        if (!_inbound.Remove(request.Value, out var call) || !IsUp(from))
            return;
        var copy = payload.ToArray();
        scheduler.At(Latency, () =>
        {
            if (call.Done || !IsUp(call.Requester))
                return;
            call.Done = true;
            _nodes[call.Requester].OnResponse(call.Id, from, copy);
        });
    }

    private void Subscribe(int index, string topic, ITopicValidator validator)
    {
        if (!_topics.TryGetValue(topic, out var subscribers))
            _topics[topic] = subscribers = [];
        subscribers[index] = validator;
    }

    private void Unsubscribe(int index, string topic)
    {
        if (_topics.TryGetValue(topic, out var subscribers))
            subscribers.Remove(index);
    }

    private void Publish(int from, string topic, ReadOnlyMemory<byte> payload)
    {
        if (!IsUp(from))
            return;
        var copy = payload.ToArray();
        Published.Add((topic, from, copy));
        if (!_topics.TryGetValue(topic, out var subscribers))
            return;
        foreach (var receiver in subscribers.Keys.ToArray())
        {
            if (receiver == from)
                continue;
            scheduler.At(Latency, () =>
            {
                if (!IsUp(receiver) || !_topics[topic].TryGetValue(receiver, out var validator)
                    || !DeliverTopicMessage(topic, from, receiver, copy))
                    return;
                if (validator.Validate(from, copy) != TopicVerdict.Accept)
                {
                    Rejected++;
                    return;
                }
                _nodes[receiver].OnTopicMessage(topic, from, copy);
            });
        }
    }

    private sealed class Call(int requester, RequestId id)
    {
        public int Requester { get; } = requester;

        public RequestId Id { get; } = id;

        public bool Done { get; set; }
    }

    /// <summary>A node's port to the network; a node whose life ended sends nothing more.</summary>
    private sealed class Endpoint(SimulatedNetwork network, int index, NodeLife life) : IConsensusNetwork
    {
        public void SendRequest(int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id, TimeSpan timeout)
        {
            if (life.Alive)
                network.SendRequest(index, toValidator, protocol, payload, id, timeout);
        }

        public void SendResponse(InboundRequestId request, ReadOnlyMemory<byte> payload)
        {
            if (life.Alive)
                network.SendResponse(index, request, payload);
        }

        public void Subscribe(string topic, ITopicValidator validator)
        {
            if (life.Alive)
                network.Subscribe(index, topic, validator);
        }

        public void Unsubscribe(string topic)
        {
            if (life.Alive)
                network.Unsubscribe(index, topic);
        }

        public void Publish(string topic, ReadOnlyMemory<byte> payload)
        {
            if (life.Alive)
                network.Publish(index, topic, payload);
        }
    }
}
