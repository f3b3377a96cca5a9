using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Sequencer.Core.Consensus;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;
using Sequencer.Host.Metrics;

namespace Sequencer.Host.Tests.Metrics;

public sealed class SequencerMetricsTests
{
    private static RoundId Round(ulong height) => new(1, height, Hash32.FromSpan(new byte[32]));

    private static Exposition Scrape(MetricsRegistry registry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        registry.WriteTo(buffer);
        return Exposition.Parse(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void EverySeriesIsPresentAsZeroFromTheStart()
    {
        var registry = new MetricsRegistry();
        _ = new SequencerMetrics(registry);
        var exposition = Scrape(registry);

        Assert.Equal("counter", exposition.Types["sequencer_rounds_total"]);
        Assert.Equal("histogram", exposition.Types["sequencer_round_latency_seconds"]);
        Assert.Equal("gauge", exposition.Types["sequencer_connected_peers"]);
        foreach (var outcome in new[] { "accepted", "rejected", "timed_out" })
            Assert.Equal(0, exposition[$"sequencer_rounds_total{{outcome=\"{outcome}\"}}"]);
        foreach (var reason in new[] { "invalid_signature", "unknown_voter", "unknown_round", "malformed" })
            Assert.Equal(0, exposition[$"sequencer_votes_rejected_total{{reason=\"{reason}\"}}"]);
        foreach (var reason in Enum.GetValues<DropReason>())
            Assert.Equal(0, exposition[$"sequencer_invalid_messages_total{{reason=\"{SequencerMetrics.SnakeCase(reason.ToString())}\"}}"]);
        Assert.Equal(0, exposition["sequencer_invalid_messages_total{reason=\"bad_committee_proof\"}"]);
        Assert.Equal(0, exposition["sequencer_votes_verified_total"]);
        Assert.Equal(0, exposition["sequencer_connected_peers"]);
        Assert.Equal(0, exposition["sequencer_round_latency_seconds_bucket{le=\"+Inf\"}"]);
        Assert.Equal(0, exposition["sequencer_round_latency_seconds_bucket{le=\"0.005\"}"]);
        Assert.Equal(0, exposition["sequencer_round_latency_seconds_count"]);
        Assert.Equal(0, exposition["sequencer_round_latency_seconds_sum"]);
    }

    [Fact]
    public void ObserverCountsOutcomesLatencyRefusalsAndDrops()
    {
        var registry = new MetricsRegistry();
        var metrics = new SequencerMetrics(registry);
        var time = new FakeTimeProvider();
        var observer = new MetricsObserver(metrics, time);

        observer.OnRoleStarted(Round(1), RoundRoles.Sequencer | RoundRoles.Voter);
        observer.OnRoleStarted(Round(2), RoundRoles.Voter);
        time.Advance(TimeSpan.FromMilliseconds(300));
        observer.OnRoundOutcome(new RoundOutcome.Accepted(Round(1), new byte[] { 1 }));
        observer.OnRoleStarted(Round(3), RoundRoles.Sequencer);
        time.Advance(TimeSpan.FromSeconds(20));
        observer.OnRoundOutcome(new RoundOutcome.TimedOut(Round(3),
            new RoundDiagnosis(SequencerStage.TimedOut, 13, 9, 0, 0, ImmutableArray<BuddyReport>.Empty, 0, 0, 100)));
        observer.OnVoteRefused(Round(2), VoteAckStatus.InvalidSignature, 4);
        observer.OnVoteRefused(Round(2), VoteAckStatus.Malformed, 5);
        observer.OnVoteRefused(Round(2), VoteAckStatus.Busy, 5);
        observer.OnVotesVerified(Round(2), 1);
        observer.OnVotesVerified(Round(2), 40);
        observer.OnMessageDropped(DropReason.BadSignature, 3);
        observer.OnMessageDropped(DropReason.BadSignature, 3);
        observer.OnMessageDropped((DropReason)999, 3);
        metrics.ConnectedPeers.Set(23);

        var exposition = Scrape(registry);
        Assert.Equal(1, exposition["sequencer_rounds_total{outcome=\"accepted\"}"]);
        Assert.Equal(0, exposition["sequencer_rounds_total{outcome=\"rejected\"}"]);
        Assert.Equal(1, exposition["sequencer_rounds_total{outcome=\"timed_out\"}"]);
        Assert.Equal(0, exposition["sequencer_round_latency_seconds_bucket{le=\"0.25\"}"]);
        Assert.Equal(1, exposition["sequencer_round_latency_seconds_bucket{le=\"0.5\"}"]);
        Assert.Equal(1, exposition["sequencer_round_latency_seconds_bucket{le=\"10\"}"]);
        Assert.Equal(2, exposition["sequencer_round_latency_seconds_bucket{le=\"20\"}"]);
        Assert.Equal(2, exposition["sequencer_round_latency_seconds_bucket{le=\"+Inf\"}"]);
        Assert.Equal(2, exposition["sequencer_round_latency_seconds_count"]);
        Assert.Equal(20.3, exposition["sequencer_round_latency_seconds_sum"], 9);
        Assert.Equal(1, exposition["sequencer_votes_rejected_total{reason=\"invalid_signature\"}"]);
        Assert.Equal(1, exposition["sequencer_votes_rejected_total{reason=\"malformed\"}"]);
        Assert.Equal(41, exposition["sequencer_votes_verified_total"]);
        Assert.Equal(2, exposition["sequencer_invalid_messages_total{reason=\"bad_signature\"}"]);
        Assert.Equal(23, exposition["sequencer_connected_peers"]);
    }

    [Property]
    public bool HistogramBucketsCountValuesAtOrBelowEachBound(NormalFloat[] values)
    {
        var histogram = new Histogram("h", "help", SequencerMetrics.LatencyBuckets);
        var registry = new MetricsRegistry();
        registry.Register(histogram);
        foreach (var value in values)
            histogram.Observe(Math.Abs(value.Get) % 100);
        var exposition = Scrape(registry);
        foreach (var bound in SequencerMetrics.LatencyBuckets)
        {
            var expected = values.Count(value => Math.Abs(value.Get) % 100 <= bound);
            if (exposition[$"h_bucket{{le=\"{ExpositionFormat(bound)}\"}}"] != expected)
                return false;
        }
        return exposition["h_bucket{le=\"+Inf\"}"] == values.Length && exposition["h_count"] == values.Length;
    }

    [Fact]
    public void RegistryRefusesDuplicateNamesAndHistogramUnorderedBounds()
    {
        var registry = new MetricsRegistry();
        registry.Register(new Counter("c_total", "x"));
        Assert.Throws<ArgumentException>(() => registry.Register(new Gauge("c_total", "y")));
        Assert.Throws<ArgumentException>(() => new Histogram("h", "x", [1, 1]));
        Assert.Throws<ArgumentException>(() => new Histogram("h", "x", [1, double.PositiveInfinity]));
    }

    private static string ExpositionFormat(double bound) => ExpositionWriter.FormatValue(bound);
}
