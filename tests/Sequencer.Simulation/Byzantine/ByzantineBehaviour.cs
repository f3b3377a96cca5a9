using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// A Byzantine variant of a node: an honest engine whose traffic passes through the behaviour, which may forward it,
/// alter it, withhold it, send it differently to different peers, or add messages of its own — using the real wire
/// types and the node's real key. The defaults forward everything unchanged.
/// </summary>
public abstract class ByzantineBehaviour
{
    /// <summary>A short name for reports.</summary>
    public abstract string Name { get; }

    /// <summary>Called once the process has started (e.g. to arm timers).</summary>
    public virtual void OnStart(ByzantineContext context)
    {
    }

    public virtual void OnSendRequest(
        ByzantineContext context, int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id,
        TimeSpan timeout) =>
        context.Endpoint.SendRequest(toValidator, protocol, payload, id, timeout);

    public virtual void OnSendResponse(ByzantineContext context, InboundRequestId request, ReadOnlyMemory<byte> payload) =>
        context.Endpoint.SendResponse(request, payload);

    public virtual void OnPublish(ByzantineContext context, string topic, ReadOnlyMemory<byte> payload) =>
        context.Endpoint.Publish(topic, payload);

    /// <summary>Sees (a copy of) everything the node receives, before the engine does.</summary>
    public virtual void OnReceive(ByzantineContext context, int fromValidator, string? topic, ReadOnlyMemory<byte> payload)
    {
    }

    public override string ToString() => Name;
}
