namespace Sequencer.Net.Transport;

/// <summary>Why a dial, a listen or an established connection failed.</summary>
public enum TransportError
{
    /// <summary>The address has no TCP endpoint this transport can dial or bind (e.g. no /tcp, or an unresolvable name).</summary>
    UnsupportedAddress,

    /// <summary>The remote refused the connection (nothing listening).</summary>
    ConnectionRefused,

    /// <summary>The connect did not complete within <see cref="TcpTransportOptions.ConnectTimeout"/>.</summary>
    ConnectTimeout,

    /// <summary>The remote reset the connection.</summary>
    ConnectionReset,

    /// <summary>This side aborted the connection (or disposed it while data was still moving).</summary>
    ConnectionAborted,

    /// <summary>The listen address is already in use or cannot be bound.</summary>
    BindFailed,

    /// <summary>Any other socket error; the inner exception has the details.</summary>
    SocketError,
}
