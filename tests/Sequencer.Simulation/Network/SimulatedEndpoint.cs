using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Ports;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Network;

/// <summary>
/// One process's connection to the <see cref="SimulatedNetwork"/>: the <see cref="IConsensusNetwork"/> port its engine
/// calls, and the <see cref="INetworkEvents"/> it reports to (set once the node exists). Everything it delivers runs
/// on the process's loop. After the process dies the endpoint is inert: sends go nowhere and nothing is delivered.
/// </summary>
public sealed class SimulatedEndpoint : IConsensusNetwork
{
    private readonly SimulatedNetwork _network;
    private readonly Dictionary<string, ITopicValidator> _subscriptions = new(StringComparer.Ordinal);

    internal SimulatedEndpoint(SimulatedNetwork network, ProcessScope scope, int validatorIndex)
    {
        _network = network;
        Scope = scope;
        ValidatorIndex = validatorIndex;
    }

    public ProcessScope Scope { get; }

    public int HostId => Scope.HostId;

    /// <summary>The authenticated identity every message from this endpoint carries (-1: not a validator).</summary>
    public int ValidatorIndex { get; }

    public SimulatedNetwork Network => _network;

    /// <summary>Where deliveries go; until set, they are dropped (the process is not listening yet).</summary>
    public INetworkEvents? Events { get; set; }

    public bool IsConnected => _network.IsConnected(this);

    public IEnumerable<string> SubscribedTopics => _subscriptions.Keys.ToArray();

    public void SendRequest(int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id, TimeSpan timeout) =>
        _network.SendRequest(this, toValidator, protocol, payload, id, timeout);

    public void SendResponse(InboundRequestId request, ReadOnlyMemory<byte> payload) =>
        _network.SendResponse(this, request, payload);

    public void Subscribe(string topic, ITopicValidator validator)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(validator);
        if (!IsConnected)
            return;
        _subscriptions[topic] = validator;
        _network.Subscribe(this, topic);
    }

    public void Unsubscribe(string topic)
    {
        if (_subscriptions.Remove(topic))
            _network.Unsubscribe(this, topic);
    }

    public void Publish(string topic, ReadOnlyMemory<byte> payload) => _network.Publish(this, topic, payload, null);

    /// <summary>
    /// A Byzantine sender's power: publishes to only those subscribers <paramref name="recipients"/> picks (a
    /// sequencer showing different things to different buddies).
    /// </summary>
    public void PublishTo(string topic, ReadOnlyMemory<byte> payload, Func<SimulatedEndpoint, bool> recipients) =>
        _network.Publish(this, topic, payload, recipients);

    internal bool TryGetTopicValidator(string topic, [NotNullWhen(true)] out ITopicValidator? validator) =>
        _subscriptions.TryGetValue(topic, out validator);

    public override string ToString() => $"{Scope} (validator {ValidatorIndex})";
}
