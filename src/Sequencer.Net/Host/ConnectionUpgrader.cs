using Sequencer.Core.Identity;
using Sequencer.Net.Multistream;
using Sequencer.Net.Noise;
using Sequencer.Net.Transport;
using Sequencer.Net.Yamux;

namespace Sequencer.Net.Host;

/// <summary>
/// Turns a raw TCP connection into a <see cref="PeerConnection"/>: multistream-select <c>/noise</c> (the dialer sends
/// its header and proposal in one write), the Noise XX handshake (the dialer expects the <c>/p2p</c> peer id it
/// dialled), then yamux — at once when both handshake payloads listed <c>/yamux/1.0.0</c>, otherwise after
/// multistream-select inside the encrypted channel. The dialer is the yamux client.
/// <para>
/// One deadline covers the whole upgrade. Any failure resets the socket and throws a <see cref="HostException"/>
/// naming the step; nothing outlives a failed upgrade, so it never touches another connection.
/// </para>
/// </summary>
internal sealed class ConnectionUpgrader
{
    private static readonly string[] s_security = [NoiseSecurity.ProtocolId];
    private static readonly string[] s_muxers = [NoiseOptions.YamuxProtocolId];

    private readonly NoiseSecurity _noise;
    private readonly PeerId _localPeer;
    private readonly MultistreamOptions _upgradeNegotiation;
    private readonly MultistreamOptions _streamNegotiation;
    private readonly YamuxOptions _yamux;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _closeTimeout;
    private readonly TimeProvider _time;

    public ConnectionUpgrader(NoiseSecurity noise, Libp2pHostOptions options, MultistreamOptions streamNegotiation)
    {
        _noise = noise;
        _localPeer = noise.LocalPeerId;
        _yamux = options.Yamux;
        _timeout = options.UpgradeTimeout;
        _closeTimeout = options.CloseTimeout;
        _time = options.TimeProvider;
        _upgradeNegotiation = new MultistreamOptions { Timeout = options.UpgradeTimeout, TimeProvider = options.TimeProvider };
        _streamNegotiation = streamNegotiation;
    }

    /// <param name="connection">A fresh TCP connection; on failure it has been reset and released.</param>
    /// <param name="expectedPeer">Outbound: the dialled <c>/p2p</c> id, if the address had one.</param>
    public async Task<PeerConnection> UpgradeAsync(TcpConnection connection, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        var outbound = !connection.IsInbound;
        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var token = linked.Token;
        var step = UpgradeStep.Security;
        NoiseSecureChannel? channel = null;
        try
        {
            if (outbound)
                await MultistreamSelect.SelectAsync(connection, s_security, _upgradeNegotiation, token).ConfigureAwait(false);
            else
                await MultistreamSelect.ListenAsync(connection, s_security, _upgradeNegotiation, token).ConfigureAwait(false);

            step = UpgradeStep.Handshake;
            channel = outbound
                ? await _noise.SecureOutboundAsync(connection, expectedPeer, token).ConfigureAwait(false)
                : await _noise.SecureInboundAsync(connection, token).ConfigureAwait(false);
            if (channel.RemotePeerId == _localPeer)
                throw new HostException(HostError.SelfDial, $"{connection.RemoteAddress} is this host itself ({_localPeer})");

            step = UpgradeStep.Muxer;
            var inlined = channel.StreamMuxer == NoiseOptions.YamuxProtocolId;
            if (!inlined)
            {
                if (outbound)
                    await MultistreamSelect.SelectAsync(channel, s_muxers, _upgradeNegotiation, token).ConfigureAwait(false);
                else
                    await MultistreamSelect.ListenAsync(channel, s_muxers, _upgradeNegotiation, token).ConfigureAwait(false);
            }
            var session = YamuxSession.Start(channel, isInitiator: outbound, _yamux);
            return new PeerConnection(connection, channel, session, inlined, _streamNegotiation, _closeTimeout, _time);
        }
        catch (Exception e)
        {
            connection.Abort();
            if (channel is not null)
                await channel.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                throw;
            throw Describe(e, step, deadline.IsCancellationRequested, connection);
        }
    }

    private HostException Describe(Exception error, UpgradeStep step, bool timedOut, TcpConnection connection)
    {
        if (error is HostException host)
            return host;
        var where = $"{(connection.IsInbound ? "from" : "to")} {connection.RemoteAddress}";
        if (timedOut || error is NoiseHandshakeException { Error: NoiseError.Timeout } or MultistreamException { Error: MultistreamError.Timeout })
            return new HostException(HostError.UpgradeTimeout, $"upgrading the connection {where} did not finish within {_timeout} ({step})", error);
        if (error is NoiseHandshakeException { Error: NoiseError.PeerIdMismatch })
            return new HostException(HostError.PeerIdMismatch, $"connection {where}: {error.Message}", error);
        if (error is MultistreamException { Error: MultistreamError.ConnectionClosed } or NoiseHandshakeException { Error: NoiseError.ConnectionClosed }
            or TransportException)
            return new HostException(HostError.ConnectionClosed, $"the connection {where} closed during the {step} step: {error.Message}", error);
        return step switch
        {
            UpgradeStep.Security => new HostException(HostError.SecurityNegotiationFailed, $"negotiating {NoiseSecurity.ProtocolId} {where} failed: {error.Message}", error),
            UpgradeStep.Handshake => new HostException(HostError.HandshakeFailed, $"the Noise handshake {where} failed: {error.Message}", error),
            _ => new HostException(HostError.MuxerNegotiationFailed, $"negotiating {NoiseOptions.YamuxProtocolId} {where} failed: {error.Message}", error),
        };
    }

    private enum UpgradeStep
    {
        Security,
        Handshake,
        Muxer,
    }
}
