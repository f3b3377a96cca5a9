using System.Collections.Concurrent;
using Sequencer.Net.Consensus;
using Sequencer.Net.Tests.Host;

namespace Sequencer.Net.Tests.Consensus;

public sealed class SerialNodeLoopTests
{
    [Fact]
    public async Task Work_posted_from_many_threads_runs_one_item_at_a_time_and_each_poster_s_items_in_order()
    {
        var loop = new SerialNodeLoop(_ => { });
        const int posters = 8;
        const int perPoster = 2000;
        var running = 0;
        var overlaps = 0;
        var seen = new List<(int Poster, int Sequence)>();
        var threads = Enumerable.Range(0, posters).Select(poster => Task.Run(() =>
        {
            for (var sequence = 0; sequence < perPoster; sequence++)
            {
                var item = (poster, sequence);
                loop.Post(() =>
                {
                    if (Interlocked.Increment(ref running) != 1)
                        Interlocked.Increment(ref overlaps);
                    seen.Add(item); // unsynchronised on purpose: the loop is the only synchronisation
                    Interlocked.Decrement(ref running);
                });
            }
        })).ToArray();
        await Task.WhenAll(threads).WithinGuard();
        await loop.InvokeAsync(() => { }).WithinGuard();

        Assert.Equal(0, overlaps);
        Assert.Equal(posters * perPoster, seen.Count);
        foreach (var group in seen.GroupBy(item => item.Poster))
            Assert.Equal(Enumerable.Range(0, perPoster), group.Select(item => item.Sequence));
    }

    [Fact]
    public async Task Work_posted_from_the_loop_runs_after_the_current_item_never_inline()
    {
        var loop = new SerialNodeLoop(_ => { });
        var order = new List<string>();
        await loop.InvokeAsync(() =>
        {
            loop.Post(() => order.Add("posted"));
            order.Add("poster");
        }).WithinGuard();
        await loop.InvokeAsync(() => { }).WithinGuard();
        Assert.Equal(["poster", "posted"], order);
    }

    [Fact]
    public async Task A_throwing_item_is_reported_and_the_items_after_it_still_run()
    {
        var faults = new ConcurrentQueue<Exception>();
        var loop = new SerialNodeLoop(faults.Enqueue);
        var order = new List<int>();
        loop.Post(() => order.Add(1));
        loop.Post(() => throw new InvalidOperationException("bad message"));
        loop.Post(() => order.Add(2));
        loop.Post(() => throw new FormatException("worse"));
        await loop.InvokeAsync(() => order.Add(3)).WithinGuard();

        Assert.Equal([1, 2, 3], order);
        Assert.Equal(["bad message", "worse"], faults.Select(e => e.Message));
        Assert.Equal(2, loop.Faults);
    }

    [Fact]
    public async Task A_fault_callback_that_throws_does_not_stop_the_loop()
    {
        var loop = new SerialNodeLoop(_ => throw new InvalidOperationException("the logger is broken too"));
        loop.Post(() => throw new InvalidOperationException("bad"));
        Assert.Equal(42, await loop.InvokeAsync(() => 42).WithinGuard());
    }

    [Fact]
    public async Task InvokeAsync_carries_the_item_s_exception_to_the_caller()
    {
        var faults = new ConcurrentQueue<Exception>();
        var loop = new SerialNodeLoop(faults.Enqueue);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => loop.InvokeAsync<int>(() => throw new ArgumentException("no")).WithinGuard());
        Assert.Equal("no", error.Message);
        Assert.Empty(faults);
    }

    [Fact]
    public async Task More_items_than_one_batch_all_run_in_order()
    {
        var loop = new SerialNodeLoop(_ => { });
        var order = new List<int>();
        for (var i = 0; i < 5 * SerialNodeLoop.BatchSize + 3; i++)
        {
            var value = i;
            loop.Post(() => order.Add(value));
        }
        await loop.InvokeAsync(() => { }).WithinGuard();
        Assert.Equal(Enumerable.Range(0, 5 * SerialNodeLoop.BatchSize + 3), order);
    }
}
