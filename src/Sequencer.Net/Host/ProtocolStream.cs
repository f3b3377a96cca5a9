using System.IO.Pipelines;
using Sequencer.Core.Identity;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Host;

/// <summary>
/// A stream on a <see cref="PeerConnection"/> whose protocol was agreed by multistream-select: a duplex pipe of the
/// protocol's bytes. Complete <see cref="Output"/> to half-close (the peer reads the end), keep reading
/// <see cref="Input"/> until it completes; <see cref="Reset"/> aborts both directions. Completing both pipes releases
/// the stream.
/// </summary>
public sealed class ProtocolStream : IDuplexPipe
{
    private readonly YamuxStream _stream;

    internal ProtocolStream(YamuxStream stream, string protocol, PeerConnection connection)
    {
        _stream = stream;
        Protocol = protocol;
        Connection = connection;
    }

    /// <summary>The protocol id both sides agreed on.</summary>
    public string Protocol { get; }

    public PeerConnection Connection { get; }

    /// <summary>The authenticated peer at the other end (the identity its Noise handshake proved).</summary>
    public PeerId RemotePeer => Connection.RemotePeer;

    /// <summary>True when this host opened the stream.</summary>
    public bool IsOutbound => _stream.IsOutbound;

    public PipeReader Input => _stream.Input;

    public PipeWriter Output => _stream.Output;

    /// <summary>Aborts both directions: the peer's reads and writes fail, and so do ours.</summary>
    public void Reset() => _stream.Reset();

    /// <summary>Closes our side after what was written (FIN) and stops reading, which releases the stream.</summary>
    public async ValueTask CloseAsync()
    {
        await _stream.Output.CompleteAsync().ConfigureAwait(false);
        await _stream.Input.CompleteAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"{Protocol} with {RemotePeer} ({_stream})";
}
