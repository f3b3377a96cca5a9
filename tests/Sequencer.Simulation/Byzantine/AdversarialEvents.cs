using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// What the network delivers to a Byzantine node: shown to the behaviour first, then to the honest engine inside,
/// except the answers to the adversary's own requests, which the engine never asked for.
/// </summary>
internal sealed class AdversarialEvents(ByzantineBehaviour behaviour, ByzantineContext context, INetworkEvents engine) : INetworkEvents
{
    public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload)
    {
        behaviour.OnReceive(context, fromValidator, null, payload.ToArray());
        engine.OnRequest(request, fromValidator, protocol, payload);
    }

    public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload)
    {
        behaviour.OnReceive(context, fromValidator, null, payload.ToArray());
        if (!ByzantineContext.IsOwnRequest(id))
            engine.OnResponse(id, fromValidator, payload);
    }

    public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason)
    {
        if (!ByzantineContext.IsOwnRequest(id))
            engine.OnRequestFailed(id, toValidator, reason);
    }

    public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload)
    {
        behaviour.OnReceive(context, fromValidator, topic, payload.ToArray());
        engine.OnTopicMessage(topic, fromValidator, payload);
    }
}
