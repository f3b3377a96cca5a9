using Sequencer.Core.Ports;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Network;

/// <summary>
/// The simulated network every process of a run is connected to (ENGINE design §6): direct requests and responses with
/// timeouts, and pubsub topics delivered to each subscriber through that subscriber's topic validator. Senders are
/// authenticated by construction — a message carries the validator index of the endpoint that sent it, never anything
/// the payload claims. Every delivery is an event of the global queue on the receiving process, and every fault
/// (drop, delay, duplicate, reorder, partition) is drawn from the seeded <see cref="Random"/> in program order, so the
/// network is as deterministic as the rest of the run.
/// </summary>
/// <remarks>
/// Mesh and gossip mechanics are not modelled: a publish reaches every current subscriber but the publisher (js-libp2p
/// and go-libp2p do not deliver to self by default), each copy faulted independently. Addressing is by validator index;
/// when two hosts share one index (Twins), each sender reaches the same one of them every time
/// (<c>candidates[senderHost mod count]</c>), while topics reach both.
/// </remarks>
public sealed class SimulatedNetwork
{
    private readonly SimulationScheduler _scheduler;
    private readonly Random _random;
    private readonly SortedDictionary<int, SimulatedEndpoint> _hosts = [];
    private readonly SortedDictionary<string, SortedSet<int>> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<long, InboundRequest> _inbound = [];
    private readonly List<IWireTap> _taps = [];
    private long _nextInbound;

    public SimulatedNetwork(SimulationScheduler scheduler, Random random, NetworkFaultModel? faults = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(random);
        _scheduler = scheduler;
        _random = random;
        Faults = faults ?? new NetworkFaultModel();
    }

    public NetworkFaultModel Faults { get; set; }

    public NetworkStatistics Statistics { get; } = new();

    /// <summary>The topics that have at least one subscriber, in ordinal order.</summary>
    public IEnumerable<string> Topics
    {
        get
        {
            foreach (var (topic, subscribers) in _topics)
            {
                if (subscribers.Count > 0)
                    yield return topic;
            }
        }
    }

    public void AddTap(IWireTap tap) => _taps.Add(tap);

    /// <summary>
    /// Connects a process to the network as <paramref name="validatorIndex"/> (-1: not a validator). A host that was
    /// connected before (a restart) has its old endpoint disconnected: whatever the old incarnation had in flight to it
    /// is lost.
    /// </summary>
    public SimulatedEndpoint Connect(ProcessScope scope, int validatorIndex)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (_hosts.TryGetValue(scope.HostId, out var previous))
            Disconnect(previous);
        var endpoint = new SimulatedEndpoint(this, scope, validatorIndex);
        _hosts[scope.HostId] = endpoint;
        return endpoint;
    }

    /// <summary>Removes the endpoint and its subscriptions (a crash or a stop); requests it was serving time out at their senders.</summary>
    public void Disconnect(SimulatedEndpoint endpoint)
    {
        if (!_hosts.TryGetValue(endpoint.HostId, out var current) || current != endpoint)
            return;
        _hosts.Remove(endpoint.HostId);
        foreach (var topic in endpoint.SubscribedTopics)
            _topics[topic].Remove(endpoint.HostId);
    }

    internal bool IsConnected(SimulatedEndpoint endpoint) =>
        endpoint.Scope.IsAlive && _hosts.TryGetValue(endpoint.HostId, out var current) && current == endpoint;

    internal void Subscribe(SimulatedEndpoint endpoint, string topic)
    {
        if (!_topics.TryGetValue(topic, out var subscribers))
            _topics[topic] = subscribers = [];
        subscribers.Add(endpoint.HostId);
    }

    internal void Unsubscribe(SimulatedEndpoint endpoint, string topic)
    {
        if (_topics.TryGetValue(topic, out var subscribers))
            subscribers.Remove(endpoint.HostId);
    }

    internal void SendRequest(
        SimulatedEndpoint from, int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id,
        TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a request timeout must be positive or infinite");
        if (!IsConnected(from))
            return;
        var copy = payload.ToArray();
        var target = Resolve(from, toValidator);
        Statistics.RequestsSent++;
        var envelope = Envelope(WireEnvelopeKind.Request, from, target?.HostId ?? -1, protocol, null, copy);
        Tap(envelope);

        var pending = new PendingRequest(from, id, toValidator);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            from.Scope.Schedule(timeout, TraceKind.RequestFailed, (ulong)id.Value, () =>
            {
                if (!pending.TryComplete())
                    return;
                Statistics.TimedOut++;
                from.Events?.OnRequestFailed(id, toValidator, RequestFailure.TimedOut);
            });
        }

        if (target is null || Faults.IsCut(from.HostId, target.HostId, _scheduler.Now))
        {
            // Nobody to dial, or no route: the dial fails after about one link latency.
            var dial = Faults.For(from.HostId, target?.HostId ?? from.HostId).Latency.Sample(_random);
            from.Scope.Schedule(dial, TraceKind.RequestFailed, (ulong)id.Value, () =>
            {
                if (!pending.TryComplete())
                    return;
                Statistics.Unreachable++;
                from.Events?.OnRequestFailed(id, toValidator, RequestFailure.Unreachable);
            });
            return;
        }

        Transmit(from, target, TraceKind.RequestDelivered, TraceHash.Digest(copy), receiver =>
        {
            TapDelivery(envelope, receiver);
            var inbound = new InboundRequestId(++_nextInbound);
            _inbound[inbound.Value] = new InboundRequest(receiver, pending);
            receiver.Events?.OnRequest(inbound, from.ValidatorIndex, protocol, copy);
        });
    }

    internal void SendResponse(SimulatedEndpoint from, InboundRequestId request, ReadOnlyMemory<byte> payload)
    {
        if (!IsConnected(from))
            return;
        if (!_inbound.TryGetValue(request.Value, out var inbound) || inbound.Receiver != from)
            throw new InvalidOperationException(
                $"{from} answered inbound request {request.Value}, which is not an unanswered request of its own");
        _inbound.Remove(request.Value);
        var copy = payload.ToArray();
        var origin = inbound.Pending.Origin;
        Statistics.ResponsesSent++;
        var envelope = Envelope(WireEnvelopeKind.Response, from, origin.HostId, default, null, copy);
        Tap(envelope);
        if (!IsConnected(origin))
            return;
        if (Faults.IsCut(from.HostId, origin.HostId, _scheduler.Now))
        {
            Statistics.CutByPartition++;
            return;
        }
        var pending = inbound.Pending;
        Transmit(from, origin, TraceKind.ResponseDelivered, TraceHash.Digest(copy), receiver =>
        {
            if (!pending.TryComplete())
                return;
            TapDelivery(envelope, receiver);
            receiver.Events?.OnResponse(pending.Id, from.ValidatorIndex, copy);
        });
    }

    internal void Publish(SimulatedEndpoint from, string topic, ReadOnlyMemory<byte> payload, Func<SimulatedEndpoint, bool>? recipients)
    {
        if (!IsConnected(from))
            return;
        var copy = payload.ToArray();
        Statistics.Published++;
        var envelope = Envelope(WireEnvelopeKind.Publish, from, -1, default, topic, copy);
        Tap(envelope);
        if (!_topics.TryGetValue(topic, out var subscribers) || subscribers.Count == 0)
            return;
        var digest = TraceHash.Digest(copy) ^ TraceHash.Digest(topic);
        foreach (var host in subscribers.ToArray())
        {
            var target = _hosts[host];
            if (target == from || (recipients is not null && !recipients(target)))
                continue;
            if (Faults.IsCut(from.HostId, target.HostId, _scheduler.Now))
            {
                Statistics.CutByPartition++;
                continue;
            }
            Transmit(from, target, TraceKind.TopicDelivered, digest, receiver =>
            {
                if (!receiver.TryGetTopicValidator(topic, out var validator))
                    return;
                switch (validator.Validate(from.ValidatorIndex, copy))
                {
                    case TopicVerdict.Accept:
                        Statistics.TopicAccepted++;
                        TapDelivery(envelope, receiver);
                        receiver.Events?.OnTopicMessage(topic, from.ValidatorIndex, copy);
                        break;
                    case TopicVerdict.Reject:
                        Statistics.TopicRejected++;
                        break;
                    default:
                        Statistics.TopicIgnored++;
                        break;
                }
            });
        }
    }

    /// <summary>
    /// Puts one message on the link <paramref name="from"/> → <paramref name="to"/>: dropped, or delivered once or
    /// twice, each copy after its own latency (plus a reordering hold-back), unless the link is cut on arrival or the
    /// receiver is gone. A process talking to itself goes through loopback, untouched by faults.
    /// </summary>
    private void Transmit(SimulatedEndpoint from, SimulatedEndpoint to, TraceKind kind, ulong digest, Action<SimulatedEndpoint> deliver)
    {
        if (from.HostId == to.HostId)
        {
            to.Scope.Schedule(TimeSpan.Zero, kind, digest, () => Deliver(from, to, deliver));
            return;
        }
        var faults = Faults.For(from.HostId, to.HostId);
        if (faults.DropProbability > 0 && _random.NextDouble() < faults.DropProbability)
        {
            Statistics.Dropped++;
            return;
        }
        var copies = 1;
        if (faults.DuplicateProbability > 0 && _random.NextDouble() < faults.DuplicateProbability)
        {
            Statistics.Duplicated++;
            copies = 2;
        }
        for (var copy = 0; copy < copies; copy++)
        {
            var delay = faults.Latency.Sample(_random);
            if (faults.ReorderProbability > 0 && _random.NextDouble() < faults.ReorderProbability)
            {
                Statistics.Reordered++;
                delay += TimeSpan.FromTicks(_random.NextInt64(faults.ReorderDelay.Ticks + 1));
            }
            to.Scope.Schedule(delay, kind, digest, () => Deliver(from, to, deliver));
        }
    }

    private void Deliver(SimulatedEndpoint from, SimulatedEndpoint to, Action<SimulatedEndpoint> deliver)
    {
        if (!IsConnected(to))
            return;
        if (from.HostId != to.HostId && Faults.IsCut(from.HostId, to.HostId, _scheduler.Now))
        {
            Statistics.CutByPartition++;
            return;
        }
        Statistics.Delivered++;
        deliver(to);
    }

    /// <summary>The host a request from <paramref name="from"/> to <paramref name="toValidator"/> reaches, or null.</summary>
    private SimulatedEndpoint? Resolve(SimulatedEndpoint from, int toValidator)
    {
        if (toValidator == from.ValidatorIndex)
            return from;
        SimulatedEndpoint? only = null;
        List<SimulatedEndpoint>? several = null;
        foreach (var endpoint in _hosts.Values)
        {
            if (endpoint.ValidatorIndex != toValidator || !endpoint.Scope.IsAlive)
                continue;
            if (only is null)
                only = endpoint;
            else
                (several ??= [only]).Add(endpoint);
        }
        return several is null ? only : several[from.HostId % several.Count];
    }

    private WireEnvelope Envelope(
        WireEnvelopeKind kind, SimulatedEndpoint from, int toHost, SequencerProtocol protocol, string? topic, byte[] payload) =>
        new(kind, _scheduler.Now, _scheduler.ExecutedEvents, from.HostId, from.Scope.Incarnation, from.ValidatorIndex, toHost,
            protocol, topic, payload);

    private void Tap(in WireEnvelope envelope)
    {
        foreach (var tap in _taps)
            tap.OnSend(envelope);
    }

    private void TapDelivery(in WireEnvelope envelope, SimulatedEndpoint receiver)
    {
        foreach (var tap in _taps)
            tap.OnDeliver(envelope, receiver.HostId, receiver.Scope.Incarnation, _scheduler.ExecutedEvents);
    }

    private sealed class PendingRequest(SimulatedEndpoint origin, RequestId id, int toValidator)
    {
        private bool _completed;

        public SimulatedEndpoint Origin { get; } = origin;

        public RequestId Id { get; } = id;

        public int ToValidator { get; } = toValidator;

        /// <summary>Exactly one outcome per request: the first of response, timeout or dial failure wins.</summary>
        public bool TryComplete()
        {
            if (_completed)
                return false;
            _completed = true;
            return true;
        }
    }

    private sealed record InboundRequest(SimulatedEndpoint Receiver, PendingRequest Pending);
}
