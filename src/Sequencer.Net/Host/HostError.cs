namespace Sequencer.Net.Host;

/// <summary>Why a host operation failed: a dial, a connection upgrade, opening a stream, or a connection's end.</summary>
public enum HostError
{
    /// <summary>The transport could not connect (refused, unreachable, timed out, unsupported address); see the inner exception.</summary>
    DialFailed,

    /// <summary>The peer is not connected and no address of it is known.</summary>
    NoAddresses,

    /// <summary>The address names this host's own peer id, or the peer proved to be this host.</summary>
    SelfDial,

    /// <summary>
    /// Opening the connection (security negotiation, Noise handshake, muxer negotiation) did not finish within
    /// <see cref="Libp2pHostOptions.UpgradeTimeout"/>.
    /// </summary>
    UpgradeTimeout,

    /// <summary>The peer does not speak <c>/noise</c> over multistream-select, or answered garbage.</summary>
    SecurityNegotiationFailed,

    /// <summary>The Noise handshake failed: a bad signature or key, garbage, an undecryptable message (see the inner <c>NoiseHandshakeException</c>).</summary>
    HandshakeFailed,

    /// <summary>The peer proved an identity other than the <c>/p2p</c> peer id that was dialled.</summary>
    PeerIdMismatch,

    /// <summary>The peer did not agree on <c>/yamux/1.0.0</c> inside the secure channel.</summary>
    MuxerNegotiationFailed,

    /// <summary>The host already has <see cref="Libp2pHostOptions.MaxConnections"/> connections (open or opening).</summary>
    ConnectionLimitReached,

    /// <summary>The connection closed during the upgrade or under the operation.</summary>
    ConnectionClosed,

    /// <summary>The peer answered <c>na</c> to every protocol proposed for a stream.</summary>
    ProtocolNotSupported,

    /// <summary>Stream protocol negotiation failed otherwise: a timeout, garbage, a refused or reset stream.</summary>
    StreamNegotiationFailed,

    /// <summary>The peer broke the GossipSub protocol (a malformed or oversized RPC) and was disconnected.</summary>
    PubSubProtocolViolation,

    /// <summary>The host was disposed.</summary>
    HostClosed,
}
