using Sequencer.Core.Ports;

namespace Sequencer.Host.Node;

/// <summary>The engine's network with <see cref="SignedTrace"/> watching what leaves: votes sent and attestations published.</summary>
internal sealed class TracingConsensusNetwork(IConsensusNetwork inner, SignedTrace trace) : IConsensusNetwork
{
    public void SendRequest(int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id, TimeSpan timeout)
    {
        if (protocol == SequencerProtocol.Vote)
            trace.Outbound(payload.Span);
        inner.SendRequest(toValidator, protocol, payload, id, timeout);
    }

    public void SendResponse(InboundRequestId request, ReadOnlyMemory<byte> payload) => inner.SendResponse(request, payload);

    public void Subscribe(string topic, ITopicValidator validator) => inner.Subscribe(topic, validator);

    public void Unsubscribe(string topic) => inner.Unsubscribe(topic);

    public void Publish(string topic, ReadOnlyMemory<byte> payload)
    {
        trace.Outbound(payload.Span);
        inner.Publish(topic, payload);
    }
}
