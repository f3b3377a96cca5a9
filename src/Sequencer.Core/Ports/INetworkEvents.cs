namespace Sequencer.Core.Ports;

/// <summary>
/// What the network reports to a node. Every call is made on the node's loop (<see cref="INodeLoop"/>), one at a time,
/// so the node's state machines need no locks. Payloads are only borrowed for the duration of the call: the node copies
/// what it keeps.
/// </summary>
public interface INetworkEvents
{
    /// <param name="fromValidator">The authenticated sender's directory index, or -1 when the sender is not a validator.</param>
    void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload);

    void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload);

    void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason);

    /// <param name="fromValidator">The authenticated originator's directory index (the message's signer, not the forwarding peer), or -1.</param>
    void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload);
}
