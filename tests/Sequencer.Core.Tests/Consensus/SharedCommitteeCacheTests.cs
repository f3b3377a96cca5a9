using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Tests.Consensus.Harness;

namespace Sequencer.Core.Tests.Consensus;

/// <summary>Nodes sharing a <see cref="CommitteeCache"/> run the very same round as nodes deriving alone.</summary>
public sealed class SharedCommitteeCacheTests
{
    [Fact]
    public void ARoundWithASharedCacheIsTheSameRoundAndDerivesItsCommitteeOnce()
    {
        var block = TestCluster.Block(60);
        using var alone = new TestCluster(16, TestCluster.SmallCommittee);
        var cache = new CommitteeCache();
        using var sharing = new TestCluster(16, TestCluster.SmallCommittee, committees: cache);

        var expected = Assert.IsType<RoundOutcome.Accepted>(alone.Run(0, block));
        var outcome = Assert.IsType<RoundOutcome.Accepted>(sharing.Run(0, block));

        // Deterministic signers and a pure derivation: the same events, hence byte for byte the same certificate.
        Assert.Equal(expected.Certificate.ToArray(), outcome.Certificate.ToArray());
        Assert.Equal(alone.Scheduler.Now, sharing.Scheduler.Now);
        // Invitations, the proposal and the certificate all name one draw: derived once, then looked up by everyone.
        Assert.Equal(1, cache.Misses);
        Assert.True(cache.Hits >= 15, $"{cache.Hits} hits");
    }
}
