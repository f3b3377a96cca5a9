using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>
/// The stream reader takes the frames of one read together and checks their signatures ahead on helper threads:
/// the outcome must be exactly that of handling the frames one at a time (order, rejections and their penalties,
/// duplicates, ignored topics), and a message must not be checked more often than it would be alone.
/// </summary>
public sealed class ReceiveBatchTests
{
    private const string Topic = "batch";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task FramesReadTogetherEndExactlyAsFramesHandledOneByOne(int helpers)
    {
        var random = new Random(7);
        FakeIdentity[] authors = [new(random), new(random), new(random)];
        var frames = MixedFrames(authors);

        using var reference = new Node(new GossipSubOptions { SignatureCheckHelpers = 0 });
        var referenceSource = reference.AddMeshPeer();
        foreach (var frame in frames)
            await referenceSource.SendAsync(frame);

        using var batched = new Node(new GossipSubOptions { SignatureCheckHelpers = helpers });
        var batchedSource = batched.AddMeshPeer();
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var reading = batched.Router.ReadFromAsync(batchedSource.Handle, pipe.Reader);
        await pipe.Writer.WriteAsync(frames.SelectMany(frame => frame).ToArray());
        await pipe.Writer.CompleteAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(reference.Delivered.Select(m => Convert.ToHexString(m.Data.Span)), batched.Delivered.Select(m => Convert.ToHexString(m.Data.Span)));
        Assert.True(batched.Delivered.Count > 80, $"{batched.Delivered.Count} delivered"); // the second forgery graylists the sender
        Assert.Equal(reference.Router.Counters.Rejected, batched.Router.Counters.Rejected);
        Assert.Equal(3, batched.Router.Counters.Rejected); // two forgeries, the first repeated
        Assert.Equal(reference.Router.Counters.Duplicates, batched.Router.Counters.Duplicates);
        Assert.Equal(reference.Router.Counters.Ignored, batched.Router.Counters.Ignored);
        Assert.Equal(reference.Router.Counters.GraylistedRpcs, batched.Router.Counters.GraylistedRpcs);
        Assert.True(batched.Router.Counters.GraylistedRpcs > 0);
        Assert.Equal(reference.Score(referenceSource), batched.Score(batchedSource), 9);
        Assert.True(batched.Score(batchedSource) < 0, "forgeries cost the sender its score");
        // A helper that is late (a loaded machine) makes the handling thread check that message itself, so a check
        // may happen twice, never less than once: every message the reference checked was checked here too.
        Assert.InRange(batched.Verifications, reference.Verifications, 2 * reference.Verifications);
        Assert.Null(batchedSource.CloseReason);
    }

    [Fact]
    public async Task AMessageRepeatedWithinOneReadIsCheckedOnce()
    {
        var author = new FakeIdentity(new Random(3));
        var message = TestMessages.Signed(author, Topic, [1, 2, 3], 1);
        var frame = TestMessages.PublishFrame(message, message, message);

        using var node = new Node(new GossipSubOptions { SignatureCheckHelpers = 1 });
        var source = node.AddMeshPeer();
        var pipe = new Pipe();
        var reading = node.Router.ReadFromAsync(source.Handle, pipe.Reader);
        await pipe.Writer.WriteAsync(frame.Concat(frame).ToArray());
        await pipe.Writer.CompleteAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(node.Delivered);
        Assert.Equal(5, node.Router.Counters.Duplicates);
        Assert.Equal(1, node.Verifications);
    }

    [Fact]
    public async Task AVerifierThatThrowsOnAHelperThreadFailsTheReaderNotTheProcess()
    {
        var random = new Random(5);
        var author = new FakeIdentity(random);
        using var node = new Node(new GossipSubOptions { SignatureCheckHelpers = 2 }, throwOnFirstDataByte: 0x42);
        var source = node.AddMeshPeer();
        var frames = Enumerable.Range(0, 20)
            .Select(i => TestMessages.PublishFrame(TestMessages.Signed(author, Topic, [(byte)(i == 12 ? 0x42 : i)], (ulong)i)))
            .SelectMany(frame => frame).ToArray();
        var pipe = new Pipe();
        var reading = node.Router.ReadFromAsync(source.Handle, pipe.Reader);
        await pipe.Writer.WriteAsync(frames);
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reading.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("verifier failure", error.Message);
        Assert.Equal(12, node.Delivered.Count);
        Assert.False(source.Handle.IsConnected);
    }

    [Fact]
    public async Task AHelperThatStallsInsideACheckDoesNotStallTheReader()
    {
        var author = new FakeIdentity(new Random(9));
        var stalling = new StallingVerifier();
        var identity = new FakeIdentity(new Random(10));
        using var router = new GossipSubRouter(new GossipSubOptions { SignatureCheckHelpers = 1 }, identity.PeerIdBytes,
            new FakeTimeProvider(), new Random(1), identity, stalling);
        var delivered = new List<PubSubMessage>();
        router.Subscribe(Topic, delivered.Add);
        var source = new RawPeer(router, new FakeIdentity(new Random(12)));
        source.Subscribe(Topic);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(Enumerable.Range(0, 40)
            .SelectMany(i => TestMessages.PublishFrame(TestMessages.Signed(author, Topic, [(byte)i], (ulong)i))).ToArray());
        await pipe.Writer.CompleteAsync();

        // The reader runs on a thread of its own; a thread-pool thread calling the verifier is the helper, which is
        // held inside its first check until the end of the test.
        Exception? failure = null;
        var reader = new Thread(() =>
        {
            try
            {
                router.ReadFromAsync(source.Handle, pipe.Reader).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        reader.Start();
        var finished = reader.Join(TimeSpan.FromSeconds(30));
        stalling.Release();
        Assert.True(finished, "the reader waited for the stalled helper");
        Assert.Null(failure);
        Assert.True(stalling.HelperStalled, "the helper never took a job");
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (byte)i), delivered.Select(m => m.Data.Span[0]));
    }

    /// <summary>
    /// 150 frames from three authors: mostly new messages, two forged (their data altered after signing),
    /// every seventh a repeat of the one before, one with three messages, one on a topic nobody subscribed to.
    /// </summary>
    private static List<byte[]> MixedFrames(FakeIdentity[] authors)
    {
        var frames = new List<byte[]>();
        byte[]? previous = null;
        for (var i = 0; i < 150; i++)
        {
            byte[] frame;
            if (i % 7 == 6 && previous is not null)
                frame = previous;
            else if (i is 5 or 100)
                frame = TestMessages.PublishFrame(TestMessages.Signed(authors[i % 3], Topic, [(byte)i], (ulong)i, f => f with { Data = [0xEE, (byte)i] }));
            else if (i == 40)
                frame = TestMessages.PublishFrame(
                    TestMessages.Signed(authors[0], Topic, [40, 0], 1000),
                    TestMessages.Signed(authors[1], Topic, [40, 1], 1001),
                    TestMessages.Signed(authors[2], Topic, [40, 2], 1002));
            else if (i == 92)
                frame = TestMessages.PublishFrame(TestMessages.Signed(authors[0], "elsewhere", [92], 92));
            else
                frame = TestMessages.PublishFrame(TestMessages.Signed(authors[i % 3], Topic, [(byte)i, (byte)(i >> 8)], (ulong)i));
            frames.Add(frame);
            previous = frame;
        }
        return frames;
    }

    /// <summary>A router subscribed to the topic, with a verifier that counts its calls.</summary>
    private sealed class Node : IDisposable
    {
        private readonly CountingVerifier _verifier;
        private readonly Random _random = new(11);

        public Node(GossipSubOptions options, int throwOnFirstDataByte = -1)
        {
            var identity = new FakeIdentity(_random);
            _verifier = new CountingVerifier(throwOnFirstDataByte);
            Router = new GossipSubRouter(options, identity.PeerIdBytes, new FakeTimeProvider(), new Random(1), identity, _verifier);
            Router.Subscribe(Topic, Delivered.Add);
        }

        public GossipSubRouter Router { get; }

        public List<PubSubMessage> Delivered { get; } = [];

        public int Verifications => _verifier.Calls;

        public RawPeer AddMeshPeer()
        {
            var peer = new RawPeer(Router, new FakeIdentity(_random));
            peer.Subscribe(Topic);
            peer.Graft(Topic);
            return peer;
        }

        public double Score(RawPeer peer) => Router.GetPeerScore(peer.Identity.PeerIdBytes) ?? double.NaN;

        public void Dispose() => Router.Dispose();
    }

    private sealed class CountingVerifier(int throwOnFirstDataByte) : IPubSubSignatureVerifier
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public SignatureCheck Verify(ReadOnlySpan<byte> from, ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
        {
            Interlocked.Increment(ref _calls);
            // The payload is "libp2p-pubsub:" ‖ protobuf(from, data, …): data's first byte follows its tag and length.
            var data = payload[("libp2p-pubsub:".Length + 2 + payload["libp2p-pubsub:".Length + 1])..];
            if (data.Length > 2 && data[2] == throwOnFirstDataByte)
                throw new InvalidOperationException("verifier failure");
            return FakeIdentity.Verifier.Verify(from, key, payload, signature);
        }
    }

    /// <summary>Holds the first thread-pool thread that calls it until released; the reader's first call waits for that.</summary>
    private sealed class StallingVerifier : IPubSubSignatureVerifier
    {
        private readonly ManualResetEventSlim _helperInside = new();
        private readonly ManualResetEventSlim _release = new();
        private int _stalled;

        public bool HelperStalled => Volatile.Read(ref _stalled) == 1;

        public void Release() => _release.Set();

        public SignatureCheck Verify(ReadOnlySpan<byte> from, ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
        {
            if (Thread.CurrentThread.IsThreadPoolThread)
            {
                if (Interlocked.CompareExchange(ref _stalled, 1, 0) == 0)
                {
                    _helperInside.Set();
                    _release.Wait(TimeSpan.FromSeconds(60));
                }
            }
            else
            {
                _helperInside.Wait(TimeSpan.FromSeconds(10));
            }
            return FakeIdentity.Verifier.Verify(from, key, payload, signature);
        }
    }
}
