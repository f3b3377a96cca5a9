using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Consensus;

namespace Sequencer.Core.Tests.Consensus;

public sealed class QuorumRulesTests
{
    [Theory]
    [InlineData(66UL, 100UL, false)]
    [InlineData(67UL, 100UL, true)]
    [InlineData(2UL, 3UL, false)]   // exactly two thirds is not enough
    [InlineData(3UL, 3UL, true)]
    [InlineData(ulong.MaxValue, ulong.MaxValue, true)]
    public void AcceptNeedsStrictlyMoreThanTwoThirds(ulong accept, ulong total, bool expected) =>
        Assert.Equal(expected, QuorumRules.IsAcceptQuorum(accept, total));

    [Theory]
    [InlineData(33UL, 100UL, false)]
    [InlineData(34UL, 100UL, true)]
    [InlineData(1UL, 3UL, true)]    // exactly one third rejects
    [InlineData(0UL, 0UL, false)]
    public void RejectNeedsAtLeastOneThird(ulong reject, ulong total, bool expected) =>
        Assert.Equal(expected, QuorumRules.IsRejectQuorum(reject, total));

    [Property]
    public Property AcceptAndRejectQuorumsNeverCoexistWithoutDoubleCounting()
    {
        // If accept + reject ≤ W (no weight counted twice), both thresholds can never hold at once.
        var weights = Gen.Choose(1, 1_000_000).SelectMany(total =>
            Gen.Choose(0, total).SelectMany(accept =>
                Gen.Choose(0, total - accept).Select(reject => (total, accept, reject))));
        return Prop.ForAll(weights.ToArbitrary(), w =>
            !(QuorumRules.IsAcceptQuorum((ulong)w.accept, (ulong)w.total) && QuorumRules.IsRejectQuorum((ulong)w.reject, (ulong)w.total)));
    }

    [Theory]
    [InlineData(13, 9, 4)]
    [InlineData(4, 3, 1)]
    [InlineData(3, 3, 0)]
    [InlineData(1, 1, 0)]
    [InlineData(23, 16, 7)]
    public void CommitteeThresholds(int size, int minimumSigners, int faults)
    {
        Assert.Equal(minimumSigners, QuorumRules.MinimumCertificateSigners(size));
        Assert.Equal(faults, QuorumRules.FaultTolerance(size));
        Assert.True(QuorumRules.IsCertificateQuorum(minimumSigners, size));
        Assert.False(QuorumRules.IsCertificateQuorum(minimumSigners - 1, size));
    }

    [Property]
    public Property TwoCertificateQuorumsShareAnHonestMember()
    {
        return Prop.ForAll(Gen.Choose(1, 100).ToArbitrary(), n =>
        {
            var quorum = QuorumRules.MinimumCertificateSigners(n);
            var overlap = 2 * quorum - n;
            return overlap > QuorumRules.FaultTolerance(n);
        });
    }
}
