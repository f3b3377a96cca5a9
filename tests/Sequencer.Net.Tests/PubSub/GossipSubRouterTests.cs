using System.IO.Pipelines;
using System.Text;
using Sequencer.Core.Crypto;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>One router against hand-driven peers: the protocol rules, message by message.</summary>
public sealed class GossipSubRouterTests
{
    private const string Topic = "round/7";

    [Fact]
    public void ANewPeerFirstHearsOurSubscriptions()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var peer = harness.AddPeer();
        Assert.Equal([(true, Topic)], peer.Received.First().Subscriptions);
    }

    [Fact]
    public void AValidMessageIsDeliveredOnceAndForwardedToTheMeshButNotBack()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var first = harness.AddMeshPeer(Topic);
        var second = harness.AddMeshPeer(Topic);
        var third = harness.AddMeshPeer(Topic);
        var author = new FakeIdentity(harness.Random);
        var message = TestMessages.Signed(author, Topic, "vote"u8.ToArray(), 1);

        Assert.Equal(RpcError.None, first.Send(TestMessages.PublishFrame(message)));
        Assert.Equal(RpcError.None, second.Send(TestMessages.PublishFrame(message)));

        var delivered = Assert.Single(harness.Delivered);
        Assert.Equal("vote"u8.ToArray(), delivered.Data.ToArray());
        Assert.Equal(Topic, delivered.Topic);
        Assert.Equal(author.PeerIdBytes, delivered.From.ToArray());
        Assert.Equal(1UL, delivered.SequenceNumber);
        Assert.Equal(first.Identity.PeerIdBytes, delivered.ReceivedFrom.ToArray());
        Assert.Equal(TestMessages.JsId(author, 1), delivered.Id.ToArray());
        Assert.Empty(first.ReceivedMessages);
        Assert.Equal([message], second.ReceivedMessages);     // forwarded before its own copy arrived
        Assert.Equal([message], third.ReceivedMessages);
        Assert.Equal(1, harness.Router.Counters.Duplicates);
    }

    [Fact]
    public void MessagesOfTopicsWeAreNotInAreIgnored()
    {
        using var harness = new RouterHarness();
        var peer = harness.AddPeer();
        peer.Send(TestMessages.PublishFrame(TestMessages.Signed(new FakeIdentity(harness.Random), Topic, [1], 1)));
        Assert.Empty(harness.Delivered);
        Assert.Equal(1, harness.Router.Counters.Ignored);
    }

    public static TheoryData<string> Forgeries => new()
    {
        "signature flipped", "data changed after signing", "key of another peer", "no signature", "seqno of 7 bytes",
        "no from", "no seqno", "from not a peer id",
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void StrictSignRejectsForgeriesWithoutLettingThemMaskTheGenuineMessage(string forgery)
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var forger = harness.AddMeshPeer(Topic);
        var honest = harness.AddMeshPeer(Topic);
        var author = new FakeIdentity(harness.Random);
        var other = new FakeIdentity(harness.Random);
        var data = "attest"u8.ToArray();
        var forged = TestMessages.Signed(author, Topic, data, 9, fields => forgery switch
        {
            "signature flipped" => fields with { Signature = Flip(fields.Signature!) },
            "data changed after signing" => fields with { Data = "accept"u8.ToArray() },
            "key of another peer" => fields with { Key = other.PublicKeyBytes },
            "no signature" => fields with { Signature = null },
            "seqno of 7 bytes" => fields with { Seqno = fields.Seqno![1..] },
            "no from" => fields with { From = null },
            "no seqno" => fields with { Seqno = null },
            _ => fields with { From = [0x12, 0x20, .. new byte[32]] },
        });

        forger.Send(TestMessages.PublishFrame(forged));
        Assert.Empty(harness.Delivered);
        Assert.Empty(honest.ReceivedMessages);
        Assert.Equal(1, harness.Router.Counters.Rejected);
        Assert.True(harness.Score(forger) < 0, $"forger's score {harness.Score(forger)}");

        honest.Send(TestMessages.PublishFrame(TestMessages.Signed(author, Topic, data, 9)));
        Assert.Single(harness.Delivered);
        Assert.True(harness.Score(honest) >= 0);
    }

    private static byte[] Flip(byte[] bytes)
    {
        var copy = bytes.ToArray();
        copy[^1] ^= 1;
        return copy;
    }

    [Fact]
    public void StrictNoSignRejectsAuthenticatedMessagesAndIdentifiesByDataHash()
    {
        using var harness = new RouterHarness(new GossipSubOptions { SignaturePolicy = SignaturePolicy.StrictNoSign });
        harness.Subscribe(Topic);
        var author = new FakeIdentity(harness.Random);
        var topic = Encoding.UTF8.GetBytes(Topic);
        byte[][] authenticated =
        [
            TestMessages.Signed(author, Topic, [1, 2, 3], 4),
            TestMessages.Encode(new TestMessages.Fields(author.PeerIdBytes, [1], null, topic, null, null)),
            TestMessages.Encode(new TestMessages.Fields(null, [2], [0, 0, 0, 0, 0, 0, 0, 1], topic, null, null)),
            TestMessages.Encode(new TestMessages.Fields(null, [3], null, topic, null, author.PublicKeyBytes)),
        ];
        foreach (var message in authenticated)
        {
            var peer = harness.AddMeshPeer(Topic);
            peer.Send(TestMessages.PublishFrame(message));
            Assert.True(harness.Score(peer) < 0);
        }
        Assert.Empty(harness.Delivered);
        Assert.Equal(4, harness.Router.Counters.Rejected);

        var plain = TestMessages.Unsigned(Topic, [7, 7]);
        var other = harness.AddMeshPeer(Topic);
        other.Send(TestMessages.PublishFrame(plain));
        other.Send(TestMessages.PublishFrame(plain));
        var delivered = Assert.Single(harness.Delivered);
        var expectedId = new byte[32];
        Sha256.Hash([7, 7], expectedId);
        Assert.Equal(expectedId, delivered.Id.ToArray());
        Assert.True(delivered.From.IsEmpty && delivered.Seqno.IsEmpty && delivered.SequenceNumber is null);
    }

    [Fact]
    public void AValidatorRejectStopsTheMessageAndCostsEverySenderOfIt()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        harness.Router.SetTopicValidator(Topic, message =>
            ValueTask.FromResult(message.Data.Span[0] == 0 ? ValidationResult.Reject : ValidationResult.Accept));
        var sender = harness.AddMeshPeer(Topic);
        var echo = harness.AddMeshPeer(Topic);
        var bystander = harness.AddMeshPeer(Topic);
        var author = new FakeIdentity(harness.Random);
        var bad = TestMessages.Signed(author, Topic, [0], 1);

        sender.Send(TestMessages.PublishFrame(bad));
        echo.Send(TestMessages.PublishFrame(bad));
        Assert.Empty(harness.Delivered);
        Assert.Empty(bystander.ReceivedMessages);
        Assert.Empty(echo.ReceivedMessages);
        Assert.True(harness.Score(sender) < 0);
        Assert.True(harness.Score(echo) < 0, "a peer relaying a known-invalid message is penalised too");
        Assert.True(harness.Score(bystander) >= 0);

        var good = TestMessages.Signed(author, Topic, [1], 2);
        bystander.Send(TestMessages.PublishFrame(good));
        Assert.Single(harness.Delivered);
        Assert.Equal([good], sender.ReceivedMessages);
    }

    [Fact]
    public void AValidatorIgnoreDropsTheMessageWithoutPenalty()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        harness.Router.SetTopicValidator(Topic, _ => ValueTask.FromResult(ValidationResult.Ignore));
        var sender = harness.AddMeshPeer(Topic);
        var other = harness.AddMeshPeer(Topic);
        sender.Send(TestMessages.PublishFrame(TestMessages.Signed(new FakeIdentity(harness.Random), Topic, [5], 1)));
        Assert.Empty(harness.Delivered);
        Assert.Empty(other.ReceivedMessages);
        Assert.True(harness.Score(sender) >= 0);
        Assert.Equal(1, harness.Router.Counters.Ignored);
    }

    [Theory]
    [InlineData(ValidationResult.Accept)]
    [InlineData(ValidationResult.Reject)]
    public async Task AnAsynchronousValidatorHoldsCopiesUntilItDecides(ValidationResult verdict)
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var decision = new TaskCompletionSource<ValidationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        harness.Router.SetTopicValidator(Topic, _ =>
        {
            calls++;
            return new ValueTask<ValidationResult>(decision.Task);
        });
        var first = harness.AddMeshPeer(Topic);
        var second = harness.AddMeshPeer(Topic);
        var bystander = harness.AddMeshPeer(Topic);
        var message = TestMessages.Signed(new FakeIdentity(harness.Random), Topic, [9], 1);

        var pending = first.SendAsync(TestMessages.PublishFrame(message));
        Assert.False(pending.IsCompleted);
        Assert.Equal(RpcError.None, second.Send(TestMessages.PublishFrame(message)));   // a duplicate while validating
        Assert.Empty(bystander.ReceivedMessages);

        decision.SetResult(verdict);
        Assert.Equal(RpcError.None, await pending);
        Assert.Equal(1, calls);
        if (verdict == ValidationResult.Accept)
        {
            Assert.Single(harness.Delivered);
            Assert.Equal([message], bystander.ReceivedMessages);
            Assert.True(harness.Score(second) >= 0);
        }
        else
        {
            Assert.Empty(harness.Delivered);
            Assert.Empty(bystander.ReceivedMessages);
            Assert.True(harness.Score(first) < 0);
            Assert.True(harness.Score(second) < 0, "the copy that arrived during validation is judged with it");
        }
    }

    [Fact]
    public void AThrowingValidatorOrHandlerDoesNotBreakTheRouter()
    {
        using var harness = new RouterHarness();
        harness.Router.Subscribe(Topic, _ => throw new InvalidOperationException("handler bug"));
        harness.Router.SetTopicValidator(Topic, message =>
            message.Data.Span[0] == 0 ? throw new InvalidOperationException("validator bug") : ValueTask.FromResult(ValidationResult.Accept));
        var peer = harness.AddMeshPeer(Topic);
        var other = harness.AddMeshPeer(Topic);
        var author = new FakeIdentity(harness.Random);
        Assert.Equal(RpcError.None, peer.Send(TestMessages.PublishFrame(TestMessages.Signed(author, Topic, [0], 1))));
        Assert.Equal(RpcError.None, peer.Send(TestMessages.PublishFrame(TestMessages.Signed(author, Topic, [1], 2))));
        Assert.Equal(1, harness.Router.Counters.ValidatorFailures);
        Assert.Equal(1, harness.Router.Counters.HandlerFailures);
        Assert.Single(other.ReceivedMessages);
        Assert.True(harness.Score(peer) >= 0);
    }

    [Fact]
    public void AGraylistedPeerIsIgnored()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        harness.Router.SetTopicValidator(Topic, message =>
            ValueTask.FromResult(message.Data.Span[0] == 0 ? ValidationResult.Reject : ValidationResult.Accept));
        var spammer = harness.AddMeshPeer(Topic);
        var author = new FakeIdentity(harness.Random);
        for (var i = 0; i < 3; i++)
            spammer.Send(TestMessages.PublishFrame(TestMessages.Signed(author, Topic, [0], (ulong)i)));
        Assert.True(harness.Score(spammer) < harness.Options.Thresholds.GraylistThreshold);

        spammer.Send(TestMessages.PublishFrame(TestMessages.Signed(author, Topic, [1], 10)));
        Assert.Empty(harness.Delivered);
        Assert.Equal(1, harness.Router.Counters.GraylistedRpcs);
    }

    [Fact]
    public void GraftsAreAcceptedOnlyForOurTopicsAndNeverFromDirectPeers()
    {
        var directIdentity = new FakeIdentity(new Random(99));
        using var harness = new RouterHarness(new GossipSubOptions { DirectPeers = [directIdentity.PeerIdBytes] });
        harness.Subscribe(Topic);
        var peer = harness.AddPeer();
        peer.Graft("some/other/topic");
        Assert.Empty(peer.ReceivedPrunes);        // ignored, not answered: no PRUNE spam on demand

        var direct = new RawPeer(harness.Router, directIdentity);
        direct.Subscribe(Topic);
        direct.Graft(Topic);
        Assert.False(harness.IsInMesh(Topic, direct));
        Assert.Equal(Topic, Assert.Single(direct.ReceivedPrunes).Topic);

        // Direct peers get every message although they are never in the mesh.
        var sender = harness.AddMeshPeer(Topic);
        var message = TestMessages.Signed(new FakeIdentity(harness.Random), Topic, [3], 3);
        sender.Send(TestMessages.PublishFrame(message));
        Assert.Equal([message], direct.ReceivedMessages);
        harness.Heartbeats(3);
        Assert.DoesNotContain(Topic, direct.ReceivedGrafts);
    }

    [Fact]
    public void DirectPeersAreDialledAtStartAndWhileTheyStayAway()
    {
        var direct = new FakeIdentity(new Random(98));
        var dialled = new List<byte[]>();
        var options = new GossipSubOptions
        {
            DirectPeers = [direct.PeerIdBytes],
            DirectConnectTicks = 10,
            ConnectDirectPeer = id => dialled.Add(id.ToArray()),
        };
        using var harness = new RouterHarness(options);
        harness.Heartbeats(1);
        Assert.Equal([direct.PeerIdBytes], dialled);
        harness.Heartbeats(10);
        Assert.Equal(2, dialled.Count);
        var peer = new RawPeer(harness.Router, direct);
        Assert.True(peer.Handle.IsDirect);
        harness.Heartbeats(20);
        Assert.Equal(2, dialled.Count);
    }

    [Fact]
    public void APrunedRouterWaitsOutTheBackoffBeforeGraftingAgain()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var peer = harness.AddMeshPeer(Topic, outbound: true);
        peer.Send(b => b.AddPrune(Encoding.UTF8.GetBytes(Topic), 30));
        Assert.False(harness.IsInMesh(Topic, peer));

        // The mesh is below Dlo with only this peer available, yet no GRAFT goes to it for 30 s.
        peer.Received.Clear();
        harness.Heartbeats(30);
        Assert.DoesNotContain(Topic, peer.ReceivedGrafts);
        harness.Heartbeats(2);
        Assert.Contains(Topic, peer.ReceivedGrafts);
        Assert.True(harness.IsInMesh(Topic, peer));
    }

    [Fact]
    public void AGraftDuringOurBackoffIsPrunedAndPenalised()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var peer = harness.AddMeshPeer(Topic);
        harness.Router.Unsubscribe(Topic);                   // PRUNE with the 10 s unsubscribe backoff
        var prune = Assert.Single(peer.ReceivedPrunes);
        Assert.Equal((Topic, (ulong?)10, 0), prune);
        Assert.Contains((false, Topic), peer.Received.SelectMany(r => r.Subscriptions));
        harness.Subscribe(Topic);

        // The first early GRAFT costs 1 and refreshes the backoff to the full 60 s; later ones fall within the flood
        // threshold of that and cost 2 each. Past the penalty threshold (3) the score turns negative.
        peer.Received.Clear();
        for (var i = 0; i < 3; i++)
            peer.Graft(Topic);
        Assert.False(harness.IsInMesh(Topic, peer));
        Assert.Equal(3, peer.ReceivedPrunes.Count());
        Assert.True(harness.Score(peer) < 0, $"score {harness.Score(peer)} after grafting three times while backed off");
    }

    [Fact]
    public void IHaveOfUnseenMessagesIsAnsweredWithIWantAndBrokenPromisesCost()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var liar = harness.AddPeer();
        liar.Subscribe(Topic);
        var author = new FakeIdentity(harness.Random);
        var seen = TestMessages.Signed(author, Topic, [1], 1);
        liar.Send(TestMessages.PublishFrame(seen));

        for (var i = 0; i < 5; i++)
        {
            var bogus = TestMessages.JsId(author, 100 + (ulong)i);
            liar.Send(b =>
            {
                b.AddIHave(Encoding.UTF8.GetBytes("not/ours"));
                b.AddIHaveId(TestMessages.JsId(author, 50));
                b.AddIHave(Encoding.UTF8.GetBytes(Topic));
                b.AddIHaveId(TestMessages.JsId(author, 1));    // already seen
                b.AddIHaveId(bogus);
            });
        }
        var asked = liar.Received.SelectMany(r => r.IWants).ToList();
        Assert.Equal(5, asked.Count);
        Assert.DoesNotContain(Convert.ToHexString(TestMessages.JsId(author, 1)), asked);
        Assert.DoesNotContain(Convert.ToHexString(TestMessages.JsId(author, 50)), asked);
        Assert.True(harness.Score(liar) >= 0);

        harness.Heartbeats(5);                                // past the 3 s follow-up time
        Assert.True(harness.Score(liar) < 0, $"score {harness.Score(liar)} after five broken promises");
    }

    [Fact]
    public void IWantIsServedFromTheCacheAFewTimesAndOnlyWhileCached()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var sender = harness.AddMeshPeer(Topic);
        var asker = harness.AddPeer();
        var author = new FakeIdentity(harness.Random);
        var message = TestMessages.Signed(author, Topic, [4], 4);
        sender.Send(TestMessages.PublishFrame(message));
        var id = TestMessages.JsId(author, 4);

        for (var i = 0; i < 5; i++)
            asker.Send(b => b.AddIWant(id));
        Assert.Equal(harness.Options.GossipRetransmission, asker.ReceivedMessages.Count());

        var late = harness.AddPeer();
        harness.Heartbeats(harness.Options.MessageCacheLength + 1);
        late.Send(b => b.AddIWant(id));
        Assert.Empty(late.ReceivedMessages);
    }

    [Fact]
    public void GossipAdvertisesRecentMessagesToPeersOutsideTheMesh()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var peers = Enumerable.Range(0, 10).Select(_ =>
        {
            var peer = harness.AddPeer();
            peer.Subscribe(Topic);
            return peer;
        }).ToList();
        harness.Heartbeats(1);                                // grafts D of them
        var outside = peers.Where(p => !harness.IsInMesh(Topic, p)).ToList();
        Assert.Equal(harness.Options.D, peers.Count - outside.Count);

        var sender = peers.First(p => harness.IsInMesh(Topic, p));
        var author = new FakeIdentity(harness.Random);
        sender.Send(TestMessages.PublishFrame(TestMessages.Signed(author, Topic, [8], 8)));
        harness.Heartbeats(1);
        var id = Convert.ToHexString(TestMessages.JsId(author, 8));
        foreach (var peer in outside)
            Assert.Contains(peer.Received.SelectMany(r => r.IHaves), ihave => ihave.Topic == Topic && ihave.Ids.Contains(id));
        Assert.DoesNotContain(sender.Received.SelectMany(r => r.IHaves), ihave => ihave.Ids.Contains(id));
    }

    [Fact]
    public void IDontWantIsHonouredAndSentForLargeMessages()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var sender = harness.AddMeshPeer(Topic, PubSubProtocol.MeshSub12);
        var modern = harness.AddMeshPeer(Topic, PubSubProtocol.MeshSub12);
        var old = harness.AddMeshPeer(Topic, PubSubProtocol.MeshSub11);
        var author = new FakeIdentity(harness.Random);
        var small = TestMessages.Signed(author, Topic, [1], 1);
        modern.Send(b => b.AddIDontWant(TestMessages.JsId(author, 1)));
        sender.Send(TestMessages.PublishFrame(small));
        Assert.Empty(modern.ReceivedMessages);
        Assert.Equal([small], old.ReceivedMessages);

        var large = TestMessages.Signed(author, Topic, new byte[2000], 2);
        sender.Send(TestMessages.PublishFrame(large));
        var id = Convert.ToHexString(TestMessages.JsId(author, 2));
        Assert.Contains(id, modern.Received.SelectMany(r => r.IDontWants));
        Assert.DoesNotContain(id, old.Received.SelectMany(r => r.IDontWants));
        Assert.DoesNotContain(id, sender.Received.SelectMany(r => r.IDontWants));
    }

    [Theory]
    [InlineData("ffff")]                                  // a varint that never ends
    [InlineData("0a05ab")]                                // a subscription longer than the RPC
    [InlineData("1a041a020a09")]                          // a graft whose topic overruns it
    public void APeerSendingGarbageIsClosedWithATypedErrorAndTheRestAreStillServed(string garbage)
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var bad = harness.AddMeshPeer(Topic);
        var good = harness.AddMeshPeer(Topic);
        var rpc = Convert.FromHexString(garbage);
        var frame = new byte[RpcFrame.GetFrameSize(rpc.Length)];
        rpc.CopyTo(frame, RpcFrame.WritePrefix(rpc.Length, frame));

        Assert.NotEqual(RpcError.None, bad.Send(frame));
        var reason = Assert.IsType<PubSubProtocolException>(bad.CloseReason);
        Assert.NotEqual(RpcError.None, reason.Error);
        Assert.False(bad.Handle.IsConnected);
        Assert.False(harness.IsInMesh(Topic, bad));
        Assert.Equal(1, harness.Router.Counters.ProtocolViolations);

        good.Send(TestMessages.PublishFrame(TestMessages.Signed(new FakeIdentity(harness.Random), Topic, [1], 1)));
        Assert.Single(harness.Delivered);
    }

    [Fact]
    public async Task TheStreamReaderClosesPeersForOversizedOrTruncatedFrames()
    {
        using var harness = new RouterHarness(new GossipSubOptions { MaxRpcSize = 4096, MaxMessageSize = 2048 });
        harness.Subscribe(Topic);

        var oversized = harness.AddMeshPeer(Topic);
        var pipe = new Pipe();
        var reading = harness.Router.ReadFromAsync(oversized.Handle, pipe.Reader);
        await pipe.Writer.WriteAsync(Convert.FromHexString("818001"));   // announces 16385 bytes
        await reading;
        Assert.Equal(RpcError.FrameTooLarge, Assert.IsType<PubSubProtocolException>(oversized.CloseReason).Error);

        var truncated = harness.AddMeshPeer(Topic);
        pipe = new Pipe();
        reading = harness.Router.ReadFromAsync(truncated.Handle, pipe.Reader);
        var message = TestMessages.PublishFrame(TestMessages.Signed(new FakeIdentity(harness.Random), Topic, [2], 2));
        await pipe.Writer.WriteAsync(message.AsMemory(0, 5));
        await pipe.Writer.WriteAsync(message.AsMemory(5));
        await pipe.Writer.WriteAsync(message.AsMemory(0, message.Length - 1));
        await pipe.Writer.CompleteAsync();
        await reading;
        Assert.Single(harness.Delivered);                                  // the whole frame before the cut
        Assert.Equal(RpcError.TruncatedFrame, Assert.IsType<PubSubProtocolException>(truncated.CloseReason).Error);
        Assert.False(truncated.Handle.IsConnected);

        // A clean end of stream just removes the peer.
        var leaving = harness.AddMeshPeer(Topic);
        pipe = new Pipe();
        reading = harness.Router.ReadFromAsync(leaving.Handle, pipe.Reader);
        await pipe.Writer.CompleteAsync();
        await reading;
        Assert.False(leaving.Handle.IsConnected);
        Assert.Null(leaving.CloseReason);
    }

    [Fact]
    public async Task AnRpcSplitAcrossBufferSegmentsIsHandledWhole()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var peer = harness.AddMeshPeer(Topic);
        var other = harness.AddMeshPeer(Topic);
        var author = new FakeIdentity(harness.Random);
        var first = TestMessages.Signed(author, Topic, new byte[300], 1);
        var second = TestMessages.Signed(author, Topic, [1, 2], 2);
        var frame = TestMessages.PublishFrame(first, second);
        var buffer = new System.Buffers.ReadOnlySequence<byte>(frame);
        RpcFrame.TryRead(ref buffer, RpcFrame.DefaultMaxRpcSize, out var body, out _);
        var rpc = System.Buffers.BuffersExtensions.ToArray(body);
        Assert.Equal(RpcError.None, await harness.Router.HandleRpcAsync(peer.Handle, Segments.Split(rpc, 7, 150, 151, 340)));
        Assert.Equal(RpcError.LengthOutOfRange, await harness.Router.HandleRpcAsync(peer.Handle, Segments.Split(rpc[..100], 50)));
        Assert.Equal(2, harness.Delivered.Count);
        Assert.Equal([first, second], other.ReceivedMessages);
        Assert.False(peer.Handle.IsConnected);            // the second, cut RPC was malformed
    }

    [Fact]
    public void MessagesOverTheSizeLimitAreNeitherAcceptedNorPublished()
    {
        using var harness = new RouterHarness(new GossipSubOptions { MaxMessageSize = 300 });
        harness.Subscribe(Topic);
        var peer = harness.AddMeshPeer(Topic);
        peer.Send(TestMessages.PublishFrame(TestMessages.Signed(new FakeIdentity(harness.Random), Topic, new byte[400], 1)));
        Assert.Empty(harness.Delivered);
        Assert.Equal(PublishStatus.MessageTooLarge, harness.Router.Publish(Topic, new byte[400]).Status);
        Assert.Equal(PublishStatus.Published, harness.Router.Publish(Topic, new byte[100]).Status);
    }

    [Fact]
    public void PublishingNeedsPeersUnlessAllowedOtherwise()
    {
        using (var harness = new RouterHarness())
            Assert.Equal(PublishStatus.NoPeers, harness.Router.Publish(Topic, [1]).Status);
        using (var harness = new RouterHarness(new GossipSubOptions { AllowPublishToZeroPeers = true }))
        {
            var result = harness.Router.Publish(Topic, [1]);
            Assert.Equal((PublishStatus.Published, 0), (result.Status, result.PeerCount));
        }
    }

    [Fact]
    public void OurOwnMessagesAreSignedAndFloodedToTopicPeersAboveThePublishThreshold()
    {
        using var harness = new RouterHarness();
        harness.Router.SetTopicValidator(Topic, message =>
            ValueTask.FromResult(message.Data.Span[0] == 0 ? ValidationResult.Reject : ValidationResult.Accept));
        harness.Subscribe(Topic);
        var peers = Enumerable.Range(0, 8).Select(_ => harness.AddMeshPeer(Topic)).ToList();
        var outsider = harness.AddPeer();
        outsider.Subscribe(Topic);                           // in the topic, not in the mesh
        var spammer = peers[0];
        var author = new FakeIdentity(harness.Random);
        for (var i = 0; i < 2; i++)
            spammer.Send(TestMessages.PublishFrame(TestMessages.Signed(author, Topic, [0], (ulong)i)));
        Assert.True(harness.Score(spammer) < harness.Options.Thresholds.PublishThreshold);
        foreach (var peer in peers.Append(outsider))
            peer.Received.Clear();

        var result = harness.Router.Publish(Topic, "proposal"u8.ToArray());
        Assert.Equal((PublishStatus.Published, 8), (result.Status, result.PeerCount));
        Assert.Empty(spammer.ReceivedMessages);
        Assert.Empty(harness.Delivered);                      // not to ourselves
        var encoded = Assert.Single(outsider.ReceivedMessages);

        // What went out verifies under StrictSign at another router, with the js message id.
        using var receiver = new RouterHarness(seed: 2);
        receiver.Subscribe(Topic);
        var link = receiver.AddMeshPeer(Topic);
        link.Send(TestMessages.PublishFrame(encoded));
        var delivered = Assert.Single(receiver.Delivered);
        Assert.Equal(harness.Identity.PeerIdBytes, delivered.From.ToArray());
        Assert.Equal(result.MessageId.ToArray(), delivered.Id.ToArray());
        Assert.Equal(harness.Identity.PublicKeyBytes, delivered.Key.ToArray());

        // Our own message echoed back is a duplicate, never delivered to us.
        peers[1].Send(TestMessages.PublishFrame(encoded));
        Assert.Empty(harness.Delivered);
    }

    [Fact]
    public void WithoutFloodPublishAPublisherOutsideTheTopicUsesAFanoutThatBecomesItsMesh()
    {
        using var harness = new RouterHarness(new GossipSubOptions { FloodPublish = false });
        var peers = Enumerable.Range(0, 10).Select(_ =>
        {
            var peer = harness.AddPeer();
            peer.Subscribe(Topic);
            return peer;
        }).ToList();
        var result = harness.Router.Publish(Topic, [1]);
        Assert.Equal(harness.Options.D, result.PeerCount);
        var fanout = peers.Where(p => p.ReceivedMessages.Any()).ToList();
        harness.Router.Publish(Topic, [2]);
        Assert.Equal(fanout, peers.Where(p => p.ReceivedMessages.Count() == 2));   // the same fanout set

        harness.Subscribe(Topic);
        Assert.Equal(
            fanout.Select(p => Convert.ToHexString(p.Identity.PeerIdBytes)).Order(),
            harness.Router.GetMeshPeers(Topic).Select(id => Convert.ToHexString(id.Span)).Order());
    }

    [Fact]
    public void AnOversubscribedMeshIsPrunedToDKeepingOutboundPeers()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var inbound = Enumerable.Range(0, 12).Select(_ => harness.AddMeshPeer(Topic)).ToList();
        var refused = harness.AddPeer();
        refused.Subscribe(Topic);
        refused.Graft(Topic);
        Assert.False(harness.IsInMesh(Topic, refused));                    // inbound, and the mesh is at Dhi
        var outbound = Enumerable.Range(0, 2).Select(_ => harness.AddMeshPeer(Topic, outbound: true)).ToList();
        Assert.Equal(14, harness.Router.GetMeshPeers(Topic).Count);

        harness.Heartbeats(1);
        Assert.Equal(harness.Options.D, harness.Router.GetMeshPeers(Topic).Count);
        Assert.All(outbound, peer => Assert.True(harness.IsInMesh(Topic, peer)));
        Assert.Equal(8, inbound.Count(peer => peer.ReceivedPrunes.Any()));
    }

    [Fact]
    public void UnsubscribingPrunesTheMeshAndAnnouncesIt()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        var peers = Enumerable.Range(0, 3).Select(_ => harness.AddMeshPeer(Topic, PubSubProtocol.MeshSub10)).ToList();
        harness.Router.Unsubscribe(Topic);
        Assert.False(harness.Router.IsSubscribed(Topic));
        Assert.Empty(harness.Router.GetMeshPeers(Topic));
        foreach (var peer in peers)
        {
            Assert.Equal((Topic, (ulong?)null, 0), Assert.Single(peer.ReceivedPrunes));   // v1.0 peers get no backoff field
            Assert.Contains((false, Topic), peer.Received.SelectMany(r => r.Subscriptions));
        }
    }

    [Fact]
    public void AReconnectingPeerKeepsItsPenalty()
    {
        using var harness = new RouterHarness();
        harness.Subscribe(Topic);
        harness.Router.SetTopicValidator(Topic, _ => ValueTask.FromResult(ValidationResult.Reject));
        var peer = harness.AddMeshPeer(Topic);
        peer.Send(TestMessages.PublishFrame(TestMessages.Signed(new FakeIdentity(harness.Random), Topic, [0], 1)));
        var penalised = harness.Score(peer);
        harness.Router.RemovePeer(peer.Handle);
        var again = new RawPeer(harness.Router, peer.Identity);
        Assert.True(harness.Score(again) < 0 && harness.Score(again) <= penalised + 1);

        // Forgotten after the retention time.
        harness.Router.RemovePeer(again.Handle);
        harness.Heartbeats((int)harness.Options.Score.RetainScore.TotalSeconds + 2);
        Assert.Null(harness.Router.GetPeerScore(peer.Identity.PeerIdBytes));
    }

    [Fact]
    public void InvalidParametersAreRefusedWithTheOffendingValues()
    {
        var identity = new FakeIdentity(new Random(1));
        var error = Assert.Throws<ArgumentException>(() => new GossipSubRouter(
            new GossipSubOptions { Dlo = 7 }, identity.PeerIdBytes, TimeProvider.System, new Random(1), identity, FakeIdentity.Verifier));
        Assert.Contains("Dlo 7", error.Message);
        Assert.Throws<ArgumentException>(() => new GossipSubRouter(
            new GossipSubOptions(), identity.PeerIdBytes, TimeProvider.System, new Random(1)));    // StrictSign without keys
        Assert.Throws<ArgumentException>(() => new GossipSubRouter(
            new GossipSubOptions { Thresholds = new() { GraylistThreshold = -5 } },
            identity.PeerIdBytes, TimeProvider.System, new Random(1), identity, FakeIdentity.Verifier));
    }
}
