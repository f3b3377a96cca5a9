using Microsoft.Extensions.Time.Testing;
using Sequencer.Net.Consensus;

namespace Sequencer.Net.Tests.Consensus;

public sealed class InboundRequestTableTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _refused = [];

    private InboundRequestTable<string> Table() => new(_time, TimeSpan.FromSeconds(20), _refused.Add);

    [Fact]
    public void A_request_is_answered_at_most_once()
    {
        var table = Table();
        var id = table.Add("request");

        Assert.True(table.TryTake(id, out var first));
        Assert.Equal("request", first);
        Assert.False(table.TryTake(id, out _));
        Assert.Equal(0, table.Count);
        Assert.Empty(_refused);
    }

    [Fact]
    public void Ids_are_distinct_and_unknown_ids_find_nothing()
    {
        var table = Table();
        var a = table.Add("a");
        var b = table.Add("b");
        Assert.NotEqual(a, b);
        Assert.False(table.TryTake(new Sequencer.Core.Ports.InboundRequestId(12345), out _));
        Assert.True(table.TryTake(b, out var taken));
        Assert.Equal("b", taken);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void An_unanswered_request_is_refused_and_released_once_it_expires_and_cannot_be_answered_after()
    {
        var table = Table();
        var old = table.Add("old");
        _time.Advance(TimeSpan.FromSeconds(15));
        var young = table.Add("young");

        Assert.Equal(0, table.Expire());
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, table.Expire());

        Assert.Equal(["old"], _refused);
        Assert.False(table.TryTake(old, out _));
        Assert.True(table.TryTake(young, out _));
    }

    [Fact]
    public void RefuseAll_releases_every_pending_request()
    {
        var table = Table();
        var a = table.Add("a");
        table.Add("b");
        table.RefuseAll();
        Assert.Equal(["a", "b"], _refused.Order());
        Assert.Equal(0, table.Count);
        Assert.False(table.TryTake(a, out _));
    }
}
