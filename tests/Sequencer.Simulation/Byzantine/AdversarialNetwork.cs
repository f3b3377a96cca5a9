using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Byzantine;

/// <summary>The network port a Byzantine node's engine talks to: every send goes through the behaviour.</summary>
internal sealed class AdversarialNetwork(ByzantineBehaviour behaviour, ByzantineContext context) : IConsensusNetwork
{
    public void SendRequest(int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id, TimeSpan timeout) =>
        behaviour.OnSendRequest(context, toValidator, protocol, payload.ToArray(), id, timeout);

    public void SendResponse(InboundRequestId request, ReadOnlyMemory<byte> payload) =>
        behaviour.OnSendResponse(context, request, payload.ToArray());

    public void Subscribe(string topic, ITopicValidator validator) => context.Endpoint.Subscribe(topic, validator);

    public void Unsubscribe(string topic) => context.Endpoint.Unsubscribe(topic);

    public void Publish(string topic, ReadOnlyMemory<byte> payload) => behaviour.OnPublish(context, topic, payload.ToArray());
}
