namespace Sequencer.Core.Ports;

/// <summary>
/// What the consensus engine needs from the network, as calls that return at once (ENGINE design §1–§2): results come
/// back later through <see cref="INetworkEvents"/> on the node's loop. Implemented by the deterministic simulated
/// network in the tests and by the libp2p adapter in production.
/// </summary>
/// <remarks>
/// Peers are named by validator directory index; the implementation maps indices to peer ids and addresses, and maps
/// authenticated senders back to indices, so nothing in the engine ever trusts a self-declared sender.
/// Payloads passed in are only borrowed for the duration of the call: an implementation copies what it keeps.
/// </remarks>
public interface IConsensusNetwork
{
    /// <summary>Sends one request; exactly one of <see cref="INetworkEvents.OnResponse"/> or <see cref="INetworkEvents.OnRequestFailed"/> follows for <paramref name="id"/>.</summary>
    void SendRequest(int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id, TimeSpan timeout);

    /// <summary>Answers an inbound request (at most once; a request left unanswered times out at its sender).</summary>
    void SendResponse(InboundRequestId request, ReadOnlyMemory<byte> payload);

    /// <summary>Joins a topic; its messages arrive through <see cref="INetworkEvents.OnTopicMessage"/> once <paramref name="validator"/> accepted them.</summary>
    void Subscribe(string topic, ITopicValidator validator);

    void Unsubscribe(string topic);

    void Publish(string topic, ReadOnlyMemory<byte> payload);
}
