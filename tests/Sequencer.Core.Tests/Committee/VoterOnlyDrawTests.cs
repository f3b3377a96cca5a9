using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Committee;
using Sequencer.Core.Primitives;
using Sequencer.Core.Tests.Validators;
using Sequencer.Core.Validators;

namespace Sequencer.Core.Tests.Committee;

/// <summary>The committee draw over a directory with voter-only validators (<c>"buddy": false</c>).</summary>
public sealed class VoterOnlyDrawTests
{
    /// <summary>A network whose validators in <paramref name="voterOnly"/> are voter-only; keys as <see cref="TestNetwork"/>.</summary>
    private static ValidatorDirectory Directory(int count, Func<int, bool> voterOnly) =>
        ValidatorDirectory.Create(7, 0, Enumerable.Range(0, count)
            .Select(i => TestNetwork.Spec(i, (ulong)(i % 5 + 1)) with { IsBuddyEligible = !voterOnly(i) }).ToArray());

    private static CommitteeSeats Draw(ValidatorDirectory directory, int sequencer, ulong height, Hash32 parent) =>
        CommitteeSeats.Draw(directory, CommitteeSize.Default, sequencer, TestNetwork.Key("validator", sequencer),
            directory.ChainId, height, parent);

    [Fact]
    public void TheDrawNeverPicksAVoterOnlyValidatorAndAnyNodeDerivesTheSameSeats()
    {
        var inputs =
            from count in Gen.Choose(2, 60)
            from voterOnlyMask in ArbMap.Default.GeneratorFor<ulong>()
            from height in ArbMap.Default.GeneratorFor<ulong>()
            from sequencerSeed in Gen.Choose(0, 1000)
            select (count, voterOnlyMask, height, sequencerSeed);
        Prop.ForAll(inputs.ToArbitrary(), x =>
        {
            // The sequencer itself may be voter-only: the flag only keeps a validator out of committees.
            var sequencer = x.sequencerSeed % x.count;
            var directory = Directory(x.count, i => (x.voterOnlyMask & (1UL << i)) != 0);
            var eligible = directory.Validators.Where(v => v.IsBuddyEligible && v.Index != sequencer).Select(v => v.Index).ToHashSet();
            var parent = CommitteeFixture.HashOf($"parent {x.height}");
            if (eligible.Count == 0)
            {
                var refusal = Assert.Throws<CommitteeException>(() => Draw(directory, sequencer, x.height, parent)).Refusal;
                return refusal.Error == CommitteeError.NoCandidates;
            }
            var drawn = Draw(directory, sequencer, x.height, parent);
            var derivedOk = CommitteeSeats.TryDerive(directory, CommitteeSize.Default, sequencer, directory.ChainId, x.height,
                parent, drawn.Proof, out var derived, out _);
            var expectedLength = Math.Min(eligible.Count, CommitteeSize.Default.Candidates);
            return derivedOk && derived!.Candidates.SequenceEqual(drawn.Candidates)
                && drawn.Candidates.All(eligible.Contains)
                && drawn.Candidates.Distinct().Count() == expectedLength
                && drawn.MainCount == Math.Min(expectedLength, CommitteeSize.Default.MainPeers);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void FewEligibleValidatorsGiveASmallerCommitteeWhoseQuorumIsCountedOverIt()
    {
        // 24 process validators and 100 voter-only ones: the committee is drawn from the 23 others only.
        var directory = Directory(124, i => i >= 24);
        var seats = Draw(directory, 3, 1, CommitteeFixture.HashOf("p"));
        Assert.Equal(13, seats.MainCount);
        Assert.Equal(10, seats.BackupCount);
        Assert.All(seats.Candidates, index => Assert.InRange(index, 0, 23));

        // Three eligible besides the sequencer: three mains, no backups, and the round's committee has three members.
        var small = Directory(40, i => i >= 4);
        var smallSeats = Draw(small, 0, 1, CommitteeFixture.HashOf("p"));
        Assert.Equal([1, 2, 3], smallSeats.Candidates.Order());
        Assert.Equal(3, smallSeats.MainCount);
        Assert.Equal(0, smallSeats.BackupCount);
        var committee = smallSeats.WithoutDeclines(new RoundId(7, 1, CommitteeFixture.HashOf("b")), CommitteeFixture.Deadline);
        Assert.Equal(3, committee.Count);
    }

    [Fact]
    public void MarkingADrawnValidatorVoterOnlyRemovesItFromTheDrawButNotTheProof()
    {
        var parent = CommitteeFixture.HashOf("p");
        var all = Directory(60, _ => false);
        var seats = Draw(all, 0, 5, parent);
        var excluded = seats.Candidates[4];
        var without = Draw(Directory(60, i => i == excluded), 0, 5, parent);
        Assert.DoesNotContain(excluded, without.Candidates);
        // Another directory hash, but the same VRF stream over the remaining weight: a different, still valid draw.
        Assert.Equal(23, without.Candidates.Length);
        Assert.Equal(seats.Proof, without.Proof);
    }
}
