using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Sequencer.Core.Formats;
using Sequencer.Core.Identity;
using Sequencer.Net.Host;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.Host;

/// <summary>GossipSub over real hosts: meshes over loopback TCP, both signature policies, validators, and a peer sending garbage.</summary>
public sealed class HostGossipSubTests
{
    private const string Topic = "jmzk/test/round-1";

    [Theory]
    [InlineData(SignaturePolicy.StrictSign)]
    [InlineData(SignaturePolicy.StrictNoSign)]
    public async Task EveryMessageReachesEveryHostOfASmallMeshOnce(SignaturePolicy policy)
    {
        var options = TestHost.DefaultOptions with { PubSub = TestHost.FastGossip(policy) };
        var hosts = new List<TestHost>();
        try
        {
            for (var i = 0; i < 5; i++)
                hosts.Add(TestHost.Start(i % 2 == 0 ? KeyType.Ed25519 : KeyType.Secp256k1, options));
            var inboxes = hosts.Select(_ => new ConcurrentQueue<(string From, string Text)>()).ToArray();
            for (var i = 0; i < hosts.Count; i++)
            {
                var inbox = inboxes[i];
                hosts[i].Host.Subscribe(Topic, message => inbox.Enqueue((Base58.Encode(message.From.Span), Encoding.UTF8.GetString(message.Data.Span))));
            }
            // A line 0-1-2-3 with 4 hanging off 1: messages must be forwarded to cross it.
            (int, int)[] links = [(0, 1), (1, 2), (2, 3), (4, 1)];
            foreach (var (dialer, listener) in links)
                await hosts[dialer].Host.DialAsync(hosts[listener].Address).WithinGuard();
            await MeshFormedAsync(hosts, links);

            for (var i = 0; i < hosts.Count; i++)
                Assert.Equal(PublishStatus.Published, hosts[i].Host.Publish(Topic, Encoding.UTF8.GetBytes($"message from {i}")).Status);

            for (var i = 0; i < hosts.Count; i++)
            {
                var inbox = inboxes[i];
                await Eventually.TrueAsync(() => inbox.Count >= hosts.Count - 1, $"host {i} receives the other hosts' messages");
            }
            await Task.Delay(300);
            for (var i = 0; i < hosts.Count; i++)
            {
                var received = inboxes[i].ToArray();
                var expected = Enumerable.Range(0, hosts.Count).Where(j => j != i).Select(j => $"message from {j}").Order();
                Assert.Equal(expected, received.Select(m => m.Text).Order());
                foreach (var (from, text) in received)
                {
                    var publisher = int.Parse(text["message from ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.Equal(policy == SignaturePolicy.StrictSign ? hosts[publisher].PeerId.ToString() : "", from);
                }
            }
        }
        finally
        {
            foreach (var host in hosts)
                await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ValidatorsSeeTheAuthenticatedAuthorAndWhatTheyRejectIsNotDelivered()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        var authors = new ConcurrentQueue<PeerId>();
        var delivered = new ConcurrentQueue<string>();
        b.Host.SetTopicValidator(Topic, message =>
        {
            Assert.True(PubSubAuthor.TryGet(message, out var author));
            authors.Enqueue(author);
            return ValueTask.FromResult(message.Data.Span.SequenceEqual("forged"u8) ? ValidationResult.Reject : ValidationResult.Accept);
        });
        a.Host.Subscribe(Topic, _ => { });
        b.Host.Subscribe(Topic, message => delivered.Enqueue(Encoding.UTF8.GetString(message.Data.Span)));
        await MeshFormedAsync([a, b], [(0, 1)]);

        a.Host.Publish(Topic, "forged"u8);
        a.Host.Publish(Topic, "genuine"u8);

        await Eventually.TrueAsync(() => delivered.Contains("genuine"), "the accepted message is delivered");
        await Eventually.TrueAsync(() => b.Host.PubSub.Counters.Rejected == 1, "the forged one was rejected");
        Assert.Equal(["genuine"], delivered);
        Assert.All(authors, author => Assert.Equal(a.PeerId, author));
        Assert.Equal(2, authors.Count);
    }

    [Fact]
    public async Task UnsubscribingIsSeenByThePeer()
    {
        await using var pair = await HostStreamTests.ConnectedPairAsync();
        var (a, b) = pair;
        a.Host.Subscribe(Topic, _ => { });
        b.Host.Subscribe(Topic, _ => { });
        await MeshFormedAsync([a, b], [(0, 1)]);

        b.Host.Unsubscribe(Topic);
        await Eventually.TrueAsync(() => a.Host.PubSub.GetTopicPeers(Topic).Count == 0, "a learns b left the topic");
        Assert.False(b.Host.PubSub.IsSubscribed(Topic));
    }

    [Fact]
    public async Task APublisherThatWaitsForRoomLosesNothingUnderLoad()
    {
        // A queue of 32 KiB per peer: congested after about sixty messages, so the run goes through many cycles.
        var options = TestHost.DefaultOptions with
        {
            PubSub = TestHost.FastGossip() with { MaxRpcSize = 16 * 1024, MaxMessageSize = 8 * 1024 },
            PubSubQueueLimit = 32 * 1024,
        };
        await using var receiver = TestHost.Start(KeyType.Ed25519, options);
        await using var publisher = TestHost.Start(KeyType.Secp256k1, options);
        const int Count = 5000;
        var seen = new bool[Count];
        var delivered = 0;
        receiver.Host.Subscribe(Topic, message =>
        {
            seen[BitConverter.ToInt32(message.Data.Span)] = true;
            Interlocked.Increment(ref delivered);
        });
        publisher.Host.Subscribe(Topic, _ => { });
        await publisher.Host.DialAsync(receiver.Address).WithinGuard();
        await MeshFormedAsync([receiver, publisher], [(0, 1)]);

        var payload = new byte[100];
        for (var i = 0; i < Count; i++)
        {
            await publisher.Host.WaitForPubSubRoomAsync().WithinGuard();
            BitConverter.TryWriteBytes(payload, i);
            Assert.Equal(PublishStatus.Published, publisher.Host.Publish(Topic, payload).Status);
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref delivered) == Count, "every message is delivered");
        Assert.All(seen, Assert.True);
        Assert.Equal(0, publisher.Host.PubSub.Counters.DroppedFrames);
    }

    public static TheoryData<string, byte[]> Garbage() => new()
    {
        { "a malformed protobuf", [3, 0xff, 0xff, 0xff] },
        { "an RPC announced beyond the size limit", LengthPrefix(5 << 20) },
        { "a length prefix that is not a minimal varint", [0x80, 0x00] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task APeerSendingGarbageIsDisconnectedWhileTheOthersAreServed(string what, byte[] garbage)
    {
        Assert.NotEmpty(what);
        await using var victim = TestHost.Start();
        await using var honest = TestHost.Start(KeyType.Secp256k1);
        // The garbage peer speaks no pubsub itself; it only accepts the victim's meshsub stream and sends junk on its own.
        await using var attacker = TestHost.Start(options: TestHost.DefaultOptions with { PubSub = null });
        attacker.Host.SetStreamHandler(PubSubProtocols.MeshSub11, (_, cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken));
        var delivered = new ConcurrentQueue<string>();
        victim.Host.Subscribe(Topic, message => delivered.Enqueue(Encoding.UTF8.GetString(message.Data.Span)));
        honest.Host.Subscribe(Topic, _ => { });
        await honest.Host.DialAsync(victim.Address).WithinGuard();
        await MeshFormedAsync([victim, honest], [(0, 1)]);
        var dropped = new TaskCompletionSource<PeerConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        victim.Host.PeerDisconnected += connection =>
        {
            if (connection.RemotePeer == attacker.PeerId)
                dropped.TrySetResult(connection);
        };

        await attacker.Host.DialAsync(victim.Address).WithinGuard();
        var stream = await attacker.Host.OpenStreamAsync(victim.PeerId, [PubSubProtocols.MeshSub11]).WithinGuard();
        await stream.Output.WriteAsync(garbage);

        var connection = await dropped.Task.WithinGuard();
        var reason = Assert.IsType<HostException>(connection.CloseReason);
        Assert.Equal(HostError.PubSubProtocolViolation, reason.Error);
        Assert.IsType<PubSubProtocolException>(reason.InnerException);
        Assert.Equal(1, victim.Host.PubSub.Counters.ProtocolViolations);

        honest.Host.Publish(Topic, "still served"u8);
        await Eventually.TrueAsync(() => delivered.Contains("still served"), "the honest peer's message still arrives");
        Assert.True(victim.Host.TryGetConnection(honest.PeerId, out _));
    }

    /// <summary>Waits until every host has all its linked neighbours in its mesh for the topic.</summary>
    private static async Task MeshFormedAsync(IReadOnlyList<TestHost> hosts, IReadOnlyList<(int, int)> links)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            var neighbours = links.Count(link => link.Item1 == i || link.Item2 == i);
            var host = hosts[i].Host;
            await Eventually.TrueAsync(() => host.PubSub.GetMeshPeers(Topic).Count == neighbours, $"host {i} meshes with its {neighbours} neighbours");
        }
    }

    private static byte[] LengthPrefix(int length)
    {
        var writer = new ArrayBufferWriter<byte>();
        UnsignedVarint.Write((ulong)length, writer);
        return writer.WrittenSpan.ToArray();
    }
}
