using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Network;

/// <summary>How a message travelled.</summary>
public enum WireEnvelopeKind
{
    Request = 1,
    Response = 2,
    Publish = 3,
}

/// <summary>
/// One message as it left a process, shown to every <see cref="IWireTap"/> once per send (before any fault): the
/// checkers see everything anyone put on the wire, including what the network then dropped.
/// </summary>
/// <param name="Event">The scheduler's count of executed events when it was sent: orders sends and deliveries exactly.</param>
/// <param name="FromIncarnation">The sending process's incarnation on its host.</param>
/// <param name="ToHost">The destination host of a request or response; -1 for a publish.</param>
/// <param name="Topic">The topic of a publish; null otherwise.</param>
/// <param name="Payload">A copy owned by the network: a tap may keep it.</param>
public readonly record struct WireEnvelope(
    WireEnvelopeKind Kind, TimeSpan Time, long Event, int FromHost, int FromIncarnation, int FromValidator, int ToHost,
    SequencerProtocol Protocol, string? Topic, ReadOnlyMemory<byte> Payload);

/// <summary>Sees every message sent on a <see cref="SimulatedNetwork"/>, and every copy handed to a process.</summary>
public interface IWireTap
{
    void OnSend(in WireEnvelope envelope);

    /// <summary>
    /// A copy of <paramref name="envelope"/> is being handed to the process on <paramref name="toHost"/> (after its
    /// topic validator accepted it, for a publish), during event number <paramref name="atEvent"/>.
    /// </summary>
    void OnDeliver(in WireEnvelope envelope, int toHost, int toIncarnation, long atEvent)
    {
    }
}
