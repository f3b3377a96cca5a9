using Sequencer.Core.Ports;

namespace Sequencer.Host.Node;

/// <summary>The engine's inbound events with <see cref="SignedTrace"/> watching what arrives: direct votes and topic attestations.</summary>
internal sealed class TracingNetworkEvents(INetworkEvents inner, SignedTrace trace) : INetworkEvents
{
    public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload)
    {
        if (protocol == SequencerProtocol.Vote)
            trace.Inbound(payload);
        inner.OnRequest(request, fromValidator, protocol, payload);
    }

    public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload) => inner.OnResponse(id, fromValidator, payload);

    public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason) => inner.OnRequestFailed(id, toValidator, reason);

    public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload)
    {
        trace.Inbound(payload);
        inner.OnTopicMessage(topic, fromValidator, payload);
    }
}
