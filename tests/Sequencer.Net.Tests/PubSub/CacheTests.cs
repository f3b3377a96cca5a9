using Microsoft.Extensions.Time.Testing;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

public sealed class CacheTests
{
    [Fact]
    public void TheSeenCacheRemembersIdsForItsTtlAcrossManyChunks()
    {
        var time = new FakeTimeProvider();
        var seen = new SeenCache(new RouterClock(time), TimeSpan.FromSeconds(120));
        // 3 × 1000 ids of 100 bytes per "second": several 64 KiB chunks per second, recycled as they expire.
        for (var second = 0; second < 300; second++)
        {
            for (var i = 0; i < 1000; i++)
                Assert.True(seen.TryAdd(Id(second, i), DeliveryStatus.Valid));
            Assert.False(seen.TryAdd(Id(second, 7), DeliveryStatus.Valid));
            time.Advance(TimeSpan.FromSeconds(1));
            seen.Expire();
            // Now one second later: the ids of the last 119 seconds remain, those 120 s old are gone.
            Assert.Equal(Math.Min(second + 1, 119) * 1000, seen.Count);
            // Ids still remembered read back intact, whichever recycled chunk holds them now.
            Assert.True(seen.TryGet(Id(second, 999), out var entry) && entry.Status == DeliveryStatus.Valid);
            Assert.True(seen.Contains(Id(Math.Max(0, second - 118), 0)));
            if (second >= 119)
                Assert.False(seen.Contains(Id(second - 119, 500)));
        }
    }

    private static byte[] Id(int second, int index)
    {
        var id = new byte[100];
        BitConverter.TryWriteBytes(id, second);
        BitConverter.TryWriteBytes(id.AsSpan(50), index);
        id[99] = (byte)(second ^ index);
        return id;
    }

    [Fact]
    public void TheSeenCacheRecordsTheValidationOutcome()
    {
        var time = new FakeTimeProvider();
        var seen = new SeenCache(new RouterClock(time), TimeSpan.FromSeconds(120));
        seen.TryAdd([1, 2], DeliveryStatus.Validating);
        time.Advance(TimeSpan.FromMilliseconds(5));
        seen.SetStatus([1, 2], DeliveryStatus.Invalid);
        seen.SetStatus([3], DeliveryStatus.Valid);               // unknown ids stay unknown
        Assert.True(seen.TryGet([1, 2], out var entry));
        Assert.Equal(DeliveryStatus.Invalid, entry.Status);
        Assert.Equal(time.GetTimestamp(), entry.Since);
        Assert.False(seen.Contains([3]));
    }

    [Fact]
    public void TheMessageCacheServesHistoryAndGossipsTheNewestWindows()
    {
        var cache = new MessageCache(historyLength: 5, gossipLength: 3);
        var messages = new List<PubSubMessage>();
        for (var heartbeat = 0; heartbeat < 8; heartbeat++)
        {
            var message = Message("a", heartbeat);
            messages.Add(message);
            cache.Put(message);
            cache.Put(message);                                // once only
            cache.Put(Message("b", heartbeat));
            var gossip = new ReusableList<PubSubMessage>();
            cache.CollectGossip("a", gossip);
            Assert.Equal(messages.TakeLast(3).Select(m => m.Data.Span[0]).Order(),
                gossip.AsSpan().ToArray().Select(m => m.Data.Span[0]).Order());
            Assert.Equal(Math.Min(heartbeat + 1, 5) * 2, cache.Count);
            for (var age = 0; age <= heartbeat; age++)
                Assert.Equal(age < 5, cache.TryGet(messages[heartbeat - age].Id.Span, out _));
            cache.Shift();
        }
    }

    private static PubSubMessage Message(string topic, int index)
    {
        var encoded = TestMessages.Unsigned(topic, [(byte)index]);
        MessageLayout.TryRead(encoded, out var layout, out _);
        return PubSubMessage.Create(encoded, layout, [(byte)topic[0], (byte)index], topic, ReadOnlyMemory<byte>.Empty);
    }
}
