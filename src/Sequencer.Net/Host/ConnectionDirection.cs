namespace Sequencer.Net.Host;

/// <summary>Which side opened a connection.</summary>
public enum ConnectionDirection
{
    /// <summary>The peer dialled this host.</summary>
    Inbound,

    /// <summary>This host dialled the peer (it is the Noise initiator and the yamux client).</summary>
    Outbound,
}
