using System.Net.Sockets;
using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;
using Sequencer.Net.Host;
using Sequencer.Net.Tests.Transport;

namespace Sequencer.Net.Tests.Host;

/// <summary>
/// Connections between hosts over loopback TCP: the upgrade with every identity pairing and both ways of agreeing on
/// yamux, the dialled identity enforced, one connection per peer, limits, failures that stay local, connection events.
/// </summary>
public sealed class HostConnectionTests
{
    public static TheoryData<KeyType, KeyType, bool, bool> Pairings()
    {
        var data = new TheoryData<KeyType, KeyType, bool, bool>();
        foreach (var dialer in new[] { KeyType.Ed25519, KeyType.Secp256k1 })
        {
            foreach (var listener in new[] { KeyType.Ed25519, KeyType.Secp256k1 })
            {
                data.Add(dialer, listener, true, true);
                data.Add(dialer, listener, false, true);
                data.Add(dialer, listener, true, false);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public async Task UpgradesWithEveryIdentityPairingAndBothMuxerPaths(KeyType dialerType, KeyType listenerType, bool dialerMuxerInNoise,
        bool listenerMuxerInNoise)
    {
        await using var listener = TestHost.Start(listenerType, TestHost.DefaultOptions with { MuxerInNoise = listenerMuxerInNoise });
        await using var dialer = TestHost.Start(dialerType, TestHost.DefaultOptions with { MuxerInNoise = dialerMuxerInNoise });
        listener.Host.SetStreamHandler(EchoProtocol.Id, EchoProtocol.HandleAsync);

        var connection = await dialer.Host.DialAsync(listener.Address).WithinGuard();

        var inlined = dialerMuxerInNoise && listenerMuxerInNoise;
        Assert.Equal(listener.PeerId, connection.RemotePeer);
        Assert.Equal(ConnectionDirection.Outbound, connection.Direction);
        Assert.Equal(inlined, connection.MuxerInNoise);
        Assert.Equal("/noise", connection.Security);
        Assert.Equal("/yamux/1.0.0", connection.Muxer);
        await Eventually.TrueAsync(() => listener.Host.TryGetConnection(dialer.PeerId, out _), "the listener registers the connection");
        Assert.True(listener.Host.TryGetConnection(dialer.PeerId, out var inbound));
        Assert.Equal(ConnectionDirection.Inbound, inbound!.Direction);
        Assert.Equal(inlined, inbound.MuxerInNoise);
        Assert.Equal(dialer.Key.PublicKey.ToProtobuf(), inbound.RemotePublicKey.ToProtobuf());
        Assert.Equal(connection.LocalAddress, inbound.RemoteAddress);

        var stream = await connection.OpenStreamAsync([EchoProtocol.Id]).WithinGuard();
        Assert.Equal(EchoProtocol.Id, stream.Protocol);
        var payload = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        Assert.Equal(payload, await EchoProtocol.RoundTripAsync(stream, payload).WithinGuard());
    }

    [Fact]
    public async Task ADialledPeerIdThatDoesNotMatchIsRefusedAndTheListenerKeepsServing()
    {
        await using var listener = TestHost.Start(KeyType.Secp256k1);
        await using var dialer = TestHost.Start();
        using var impostor = PeerPrivateKey.Generate(KeyType.Ed25519);
        var wrong = listener.Address.WithoutPeerId().WithPeerId(impostor.PublicKey.ToPeerId());

        var refused = await Assert.ThrowsAsync<HostException>(() => dialer.Host.DialAsync(wrong).WithinGuard());
        Assert.Equal(HostError.PeerIdMismatch, refused.Error);
        Assert.False(dialer.Host.TryGetConnection(listener.PeerId, out _));

        var connection = await dialer.Host.DialAsync(listener.Address).WithinGuard();
        Assert.Equal(listener.PeerId, connection.RemotePeer);
    }

    [Fact]
    public async Task DiallingWithoutAPeerIdAcceptsWhoeverAnswers()
    {
        await using var listener = TestHost.Start();
        await using var dialer = TestHost.Start(KeyType.Secp256k1);
        var connection = await dialer.Host.DialAsync(listener.Address.WithoutPeerId()).WithinGuard();
        Assert.Equal(listener.PeerId, connection.RemotePeer);
    }

    [Fact]
    public async Task DiallingItselfIsRefused()
    {
        await using var host = TestHost.Start();
        var byId = await Assert.ThrowsAsync<HostException>(() => host.Host.DialAsync(host.Address));
        Assert.Equal(HostError.SelfDial, byId.Error);
        var byAddress = await Assert.ThrowsAsync<HostException>(() => host.Host.DialAsync(host.Address.WithoutPeerId()).WithinGuard());
        Assert.Equal(HostError.SelfDial, byAddress.Error);
        Assert.Empty(host.Host.GetConnections());
    }

    [Fact]
    public async Task ARepeatedDialReusesTheConnection()
    {
        await using var listener = TestHost.Start();
        await using var dialer = TestHost.Start();
        var dials = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => dialer.Host.DialAsync(listener.Address))).WithinGuard();
        Assert.All(dials, connection => Assert.Same(dials[0], connection));
        Assert.Same(dials[0], await dialer.Host.DialAsync(listener.Address).WithinGuard());
        Assert.Single(dialer.Host.GetConnections());
    }

    [Fact]
    public async Task PeersDiallingEachOtherAtOnceEndUpWithTheSameSingleConnection()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var a = TestHost.Start();
            await using var b = TestHost.Start(KeyType.Secp256k1);
            b.Host.SetStreamHandler(EchoProtocol.Id, EchoProtocol.HandleAsync);
            var connectedAtA = 0;
            a.Host.PeerConnected += _ => Interlocked.Increment(ref connectedAtA);

            await Task.WhenAll(a.Host.DialAsync(b.Address), b.Host.DialAsync(a.Address)).WithinGuard();

            await Eventually.TrueAsync(() =>
            {
                var atA = a.Host.GetConnections();
                var atB = b.Host.GetConnections();
                return atA.Count == 1 && atB.Count == 1 && !atA[0].IsClosed && !atB[0].IsClosed
                    && atA[0].LocalAddress == atB[0].RemoteAddress && atA[0].RemoteAddress == atB[0].LocalAddress;
            }, "both ends keep the same one connection");
            var stream = await a.Host.OpenStreamAsync(b.PeerId, [EchoProtocol.Id]).WithinGuard();
            Assert.Equal([1, 2, 3], await EchoProtocol.RoundTripAsync(stream, [1, 2, 3]).WithinGuard());
            Assert.Equal(1, Volatile.Read(ref connectedAtA));
        }
    }

    [Fact]
    public async Task ConnectionsBeyondTheLimitAreRefusedWithoutDisturbingTheOthers()
    {
        await using var listener = TestHost.Start(options: TestHost.DefaultOptions with { MaxConnections = 1 });
        listener.Host.SetStreamHandler(EchoProtocol.Id, EchoProtocol.HandleAsync);
        await using var first = TestHost.Start();
        await using var second = TestHost.Start();

        var kept = await first.Host.DialAsync(listener.Address).WithinGuard();
        await Eventually.TrueAsync(() => listener.Host.GetConnections().Count == 1, "the listener holds the first connection");
        var refused = await Assert.ThrowsAsync<HostException>(() => second.Host.DialAsync(listener.Address).WithinGuard());
        Assert.Contains(refused.Error, new[] { HostError.ConnectionClosed, HostError.SecurityNegotiationFailed, HostError.DialFailed });

        var stream = await kept.OpenStreamAsync([EchoProtocol.Id]).WithinGuard();
        Assert.Equal([7], await EchoProtocol.RoundTripAsync(stream, [7]).WithinGuard());
    }

    [Fact]
    public async Task ADialerThatIsFullRefusesToDial()
    {
        await using var a = TestHost.Start();
        await using var b = TestHost.Start();
        await using var dialer = TestHost.Start(options: TestHost.DefaultOptions with { MaxConnections = 1 });
        await dialer.Host.DialAsync(a.Address).WithinGuard();
        var refused = await Assert.ThrowsAsync<HostException>(() => dialer.Host.DialAsync(b.Address).WithinGuard());
        Assert.Equal(HostError.ConnectionLimitReached, refused.Error);
    }

    [Fact]
    public async Task GarbageAndSilenceOnRawSocketsAreDroppedWhileRealPeersConnect()
    {
        await using var listener = TestHost.Start(options: TestHost.DefaultOptions with { UpgradeTimeout = TimeSpan.FromMilliseconds(500) });
        listener.Host.SetStreamHandler(EchoProtocol.Id, EchoProtocol.HandleAsync);
        listener.Address.TryGetIPEndPoint(out var endPoint);

        using var garbage = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await garbage.ConnectAsync(endPoint!);
        await garbage.SendAsync(Enumerable.Repeat((byte)0xff, 64).ToArray());
        using var silent = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(endPoint!);

        await using var peer = TestHost.Start();
        var connection = await peer.Host.DialAsync(listener.Address).WithinGuard();
        var stream = await connection.OpenStreamAsync([EchoProtocol.Id]).WithinGuard();
        Assert.Equal([9, 9], await EchoProtocol.RoundTripAsync(stream, [9, 9]).WithinGuard());

        // Both raw sockets are closed by the listener: the garbage at once, the silent one at the upgrade deadline.
        await ReadUntilClosedAsync(garbage).WithinGuard();
        await ReadUntilClosedAsync(silent).WithinGuard();
        Assert.Single(listener.Host.GetConnections());
    }

    [Fact]
    public async Task DiallingSomethingThatNeverAnswersFailsAtTheUpgradeDeadline()
    {
        using var mute = new Socket(SocketType.Stream, ProtocolType.Tcp);
        mute.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        mute.Listen();
        await using var dialer = TestHost.Start(options: TestHost.DefaultOptions with { UpgradeTimeout = TimeSpan.FromMilliseconds(300) });
        var address = Multiaddr.FromIPEndPoint((System.Net.IPEndPoint)mute.LocalEndPoint!);

        var failed = await Assert.ThrowsAsync<HostException>(() => dialer.Host.DialAsync(address).WithinGuard());
        Assert.Equal(HostError.UpgradeTimeout, failed.Error);
    }

    [Fact]
    public async Task DiallingAClosedPortFailsAsADialFailure()
    {
        int port;
        using (var probe = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var dialer = TestHost.Start();
        var failed = await Assert.ThrowsAsync<HostException>(() => dialer.Host.DialAsync(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}")).WithinGuard());
        Assert.Equal(HostError.DialFailed, failed.Error);
    }

    [Fact]
    public async Task EventsReportEachPeerOnceAndTheEndOfItsConnection()
    {
        await using var listener = TestHost.Start();
        var dialer = TestHost.Start(KeyType.Secp256k1);
        var connected = new TaskCompletionSource<PeerConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<PeerConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Host.PeerConnected += connection => connected.TrySetResult(connection);
        listener.Host.PeerDisconnected += connection => disconnected.TrySetResult(connection);

        await dialer.Host.DialAsync(listener.Address).WithinGuard();
        Assert.Equal(dialer.PeerId, (await connected.Task.WithinGuard()).RemotePeer);
        await dialer.DisposeAsync();

        var ended = await disconnected.Task.WithinGuard();
        Assert.Equal(dialer.PeerId, ended.RemotePeer);
        Assert.True(ended.IsClosed);
        Assert.Equal(HostError.ConnectionClosed, Assert.IsType<HostException>(ended.CloseReason).Error);
        Assert.False(listener.Host.TryGetConnection(dialer.PeerId, out _));
    }

    [Fact]
    public async Task APeerThatRestartsWithItsKeyIsReportedGoneAndBackAndServedAgain()
    {
        await using var listener = TestHost.Start();
        listener.Host.SetStreamHandler(EchoProtocol.Id, EchoProtocol.HandleAsync);
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        listener.Host.PeerConnected += connection => events.Enqueue("connected " + connection.RemotePeer);
        listener.Host.PeerDisconnected += connection => events.Enqueue("disconnected " + connection.RemotePeer);
        using var original = PeerPrivateKey.Generate(KeyType.Secp256k1);
        var protobuf = original.ToProtobuf();
        var peer = original.PublicKey.ToPeerId();

        for (var run = 0; run < 3; run++)
        {
            PeerPrivateKey.TryDecodeProtobuf(protobuf, out var key);
            await using var restarted = TestHost.Start(key!);
            var connection = await restarted.Host.DialAsync(listener.Address).WithinGuard();
            var stream = await connection.OpenStreamAsync([EchoProtocol.Id]).WithinGuard();
            Assert.Equal([(byte)run], await EchoProtocol.RoundTripAsync(stream, [(byte)run]).WithinGuard());
        }
        await Eventually.TrueAsync(() => events.Count == 6, "three connects and three disconnects");
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(_ => new[] { "connected " + peer, "disconnected " + peer }), events);
    }

    [Fact]
    public async Task AnEstablishedConnectionGivesWayToANewOneFromTheSamePeer()
    {
        // The peer's old process, as far as the listener knows, is still connected when its new process dials in.
        var options = TestHost.DefaultOptions with { UpgradeTimeout = TimeSpan.FromMilliseconds(200) };
        await using var listener = TestHost.Start(options: options);
        listener.Host.SetStreamHandler(EchoProtocol.Id, EchoProtocol.HandleAsync);
        using var key = PeerPrivateKey.Generate(KeyType.Ed25519);
        PeerPrivateKey.TryDecodeProtobuf(key.ToProtobuf(), out var oldKey);
        PeerPrivateKey.TryDecodeProtobuf(key.ToProtobuf(), out var newKey);
        await using var oldProcess = TestHost.Start(oldKey!, options);
        await using var newProcess = TestHost.Start(newKey!, options);
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        oldProcess.Host.PeerDisconnected += _ => dropped.TrySetResult();

        await oldProcess.Host.DialAsync(listener.Address).WithinGuard();
        await Eventually.TrueAsync(() => listener.Host.TryGetConnection(key.PublicKey.ToPeerId(), out _), "the first connection is registered");
        await Task.Delay(400); // setup, not a measurement: the first connection is now established, past the upgrade timeout
        var connection = await newProcess.Host.DialAsync(listener.Address).WithinGuard();

        await dropped.Task.WithinGuard();
        var stream = await connection.OpenStreamAsync([EchoProtocol.Id]).WithinGuard();
        Assert.Equal([4], await EchoProtocol.RoundTripAsync(stream, [4]).WithinGuard());
        Assert.True(listener.Host.TryGetConnection(key.PublicKey.ToPeerId(), out var kept));
        Assert.Equal(connection.LocalAddress, kept!.RemoteAddress);
    }

    [Fact]
    public async Task APeerIsReachableByIdOnceItsAddressIsKnown()
    {
        await using var listener = TestHost.Start();
        await using var dialer = TestHost.Start();
        var unknown = await Assert.ThrowsAsync<HostException>(() => dialer.Host.ConnectAsync(listener.PeerId).WithinGuard());
        Assert.Equal(HostError.NoAddresses, unknown.Error);

        dialer.Host.Peers.AddAddresses(listener.PeerId, [listener.Address]);
        var connection = await dialer.Host.ConnectAsync(listener.PeerId).WithinGuard();
        Assert.Equal(listener.PeerId, connection.RemotePeer);
    }

    [Fact]
    public async Task DisposingClosesEveryConnectionAndLaterDialsFail()
    {
        var hub = TestHost.Start();
        var peers = new List<TestHost>();
        try
        {
            var disconnected = new List<Task>();
            for (var i = 0; i < 4; i++)
            {
                var peer = TestHost.Start(i % 2 == 0 ? KeyType.Ed25519 : KeyType.Secp256k1);
                peers.Add(peer);
                var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                peer.Host.PeerDisconnected += _ => gone.TrySetResult();
                disconnected.Add(gone.Task);
                var connection = await peer.Host.DialAsync(hub.Address).WithinGuard();
                // A stream left open across the shutdown.
                _ = await connection.OpenStreamAsync(["/ipfs/ping/1.0.0"]).WithinGuard();
            }

            await hub.DisposeAsync().AsTask().WithinGuard();

            await Task.WhenAll(disconnected).WithinGuard();
            Assert.Empty(hub.Host.GetConnections());
            await Assert.ThrowsAsync<ObjectDisposedException>(() => hub.Host.DialAsync(peers[0].Address));
        }
        finally
        {
            foreach (var peer in peers)
                await peer.DisposeAsync();
        }
    }

    private static async Task ReadUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset: closed just as well.
        }
    }
}
