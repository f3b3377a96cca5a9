using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;
using Sequencer.Net.Host;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;

namespace Sequencer.Net.Tests.Host;

/// <summary>A host on 127.0.0.1 (a free port) with its own identity, for tests; disposing closes the host, then wipes the key.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(PeerPrivateKey key, Libp2pHost host)
    {
        Key = key;
        Host = host;
    }

    public PeerPrivateKey Key { get; }

    public Libp2pHost Host { get; }

    public PeerId PeerId => Host.PeerId;

    /// <summary>The listen address with /p2p.</summary>
    public Multiaddr Address => Host.ListenAddresses[0];

    /// <summary>Defaults for tests: quick GossipSub heartbeats (so meshes form fast), short bounds on closing.</summary>
    public static Libp2pHostOptions DefaultOptions { get; } = new()
    {
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        CloseTimeout = TimeSpan.FromSeconds(2),
        PubSub = FastGossip(),
    };

    public static GossipSubOptions FastGossip(SignaturePolicy policy = SignaturePolicy.StrictSign) => new()
    {
        SignaturePolicy = policy,
        HeartbeatInitialDelay = TimeSpan.FromMilliseconds(20),
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        AllowPublishToZeroPeers = true,
    };

    public static TestHost Start(KeyType type = KeyType.Ed25519, Libp2pHostOptions? options = null) =>
        Start(PeerPrivateKey.Generate(type), options);

    public static TestHost Start(PeerPrivateKey key, Libp2pHostOptions? options = null)
    {
        try
        {
            return new TestHost(key, Libp2pHost.Start(key, options ?? DefaultOptions));
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Key.Dispose();
    }

    public override string ToString() => PeerId.ToString();
}
