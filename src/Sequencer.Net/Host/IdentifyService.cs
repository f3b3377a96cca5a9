using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;
using Sequencer.Net.Identify;

namespace Sequencer.Net.Host;

/// <summary>
/// Identify on every connection, both ways: the host answers <c>/ipfs/id/1.0.0</c> with its key, listen addresses,
/// registered protocols and the address it observes the peer at, and asks every new peer the same. What a peer says
/// goes to the peer store, and <see cref="Identified"/> fires (GossipSub opens its stream to peers listing meshsub).
/// A peer's pushed updates (<c>/ipfs/id/push/1.0.0</c>) are taken the same way. An answer carrying a key other
/// than the one the connection authenticated is ignored.
/// </summary>
internal sealed class IdentifyService(
    PeerPublicKey localKey,
    Func<IReadOnlyList<Multiaddr>> listenAddresses,
    Func<IReadOnlyList<string>> protocols,
    PeerStore peers,
    IdentifyOptions options,
    Action<PeerConnection, IdentifyMessage> identified)
{
    public const string PushProtocolId = "/ipfs/id/push/1.0.0";

    private static readonly string[] s_identify = [IdentifyProtocol.ProtocolId];

    private long _failures;

    /// <summary>Identify exchanges this host started that got no usable answer (the peer does not identify, or closed).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public Task RespondAsync(ProtocolStream stream, CancellationToken cancellationToken)
    {
        var message = IdentifyMessage.ForLocalPeer(localKey, listenAddresses(), stream.Connection.RemoteAddress, protocols());
        return IdentifyProtocol.RespondAsync(stream, message, options, cancellationToken);
    }

    public async Task ReceivePushAsync(ProtocolStream stream, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var message = await IdentifyProtocol.ReadMessageAsync(stream.Input, options.MaxMessageSize, linked.Token).ConfigureAwait(false);
        Accept(stream.Connection, message);
    }

    /// <summary>Asks the peer of a new connection who it is; never throws (a peer that does not answer just stays unidentified).</summary>
    public async Task IdentifyAsync(PeerConnection connection)
    {
        try
        {
            var stream = await connection.OpenStreamAsync(s_identify, connection.Closing).ConfigureAwait(false);
            var message = await IdentifyProtocol.RequestAsync(stream, options, connection.Closing).ConfigureAwait(false);
            Accept(connection, message);
        }
        catch (Exception e) when (e is HostException or IdentifyException or IOException or OperationCanceledException or Yamux.YamuxException)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    private void Accept(PeerConnection connection, IdentifyMessage message)
    {
        if (!message.PublicKey.IsEmpty && (!message.TryGetPublicKey(out var key) || key!.ToPeerId() != connection.RemotePeer))
        {
            Interlocked.Increment(ref _failures);
            return;
        }
        peers.RecordIdentify(connection.RemotePeer, message);
        identified(connection, message);
    }
}
