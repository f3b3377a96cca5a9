using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Committee;
using Sequencer.Core.Primitives;
using Sequencer.Core.Tests.Validators;
using Sequencer.Core.Vrf;

namespace Sequencer.Core.Tests.Committee;

public sealed class CommitteeSeatsTests
{
    private static readonly TestNetwork s_network = TestNetwork.Create(60, i => (ulong)(i % 7 + 1));

    private static CommitteeSeats Draw(int sequencer, ulong height, Hash32 parent, TestNetwork? network = null)
    {
        network ??= s_network;
        return CommitteeSeats.Draw(network.Directory, CommitteeSize.Default, sequencer, network.Keys[sequencer],
            network.Directory.ChainId, height, parent);
    }

    private static CommitteeRefusal DeriveRefusal(int sequencer, ulong chainId, ulong height, Hash32 parent, VrfProofBytes proof)
    {
        Assert.False(CommitteeSeats.TryDerive(s_network.Directory, CommitteeSize.Default, sequencer, chainId, height, parent, proof,
            out var seats, out var refusal));
        Assert.Null(seats);
        return refusal;
    }

    [Fact]
    public void AlphaIsChainIdHeightAndParentHashBigEndian()
    {
        var parent = CommitteeFixture.HashOf("parent");
        var alpha = new byte[CommitteeAlpha.Length];
        CommitteeAlpha.Write(0x0102030405060708, 0x1112131415161718, parent, alpha);
        Assert.Equal(48, alpha.Length);
        Assert.Equal(Convert.FromHexString("0102030405060708" + "1112131415161718") , alpha[..16]);
        Assert.Equal(parent.AsReadOnlySpan().ToArray(), alpha[16..]);
    }

    [Fact]
    public void TheDrawIsTheVrfOfAlphaUnderTheSequencersKey()
    {
        var parent = CommitteeFixture.HashOf("p");
        var seats = Draw(5, 77, parent);
        var alpha = new byte[CommitteeAlpha.Length];
        seats.WriteAlpha(alpha);
        var beta = new byte[EcVrf.OutputSize];
        Assert.True(EcVrf.Verify(s_network.Directory[5].PublicKey.Compressed, alpha, seats.Proof.AsReadOnlySpan(), beta));
        Assert.Equal(seats.Beta.AsReadOnlySpan().ToArray(), beta);
        var expected = new byte[EcVrf.ProofSize];
        EcVrf.Prove(Secret(5), alpha, expected);
        Assert.Equal(expected, seats.Proof.AsReadOnlySpan().ToArray());
    }

    private static byte[] Secret(int validator)
    {
        var secret = new byte[32];
        s_network.Keys[validator].CopySecretTo(secret);
        return secret;
    }

    [Fact]
    public void TheSameInputsGiveTheSameSeatsAndOthersDiffer()
    {
        var parent = CommitteeFixture.HashOf("p");
        var seats = Draw(3, 100, parent);
        var again = Draw(3, 100, parent);
        Assert.Equal(seats.Proof, again.Proof);
        Assert.Equal(seats.Candidates.ToArray(), again.Candidates.ToArray());
        Assert.NotEqual(seats.Candidates.ToArray(), Draw(3, 101, parent).Candidates.ToArray());
        Assert.NotEqual(seats.Candidates.ToArray(), Draw(3, 100, CommitteeFixture.HashOf("q")).Candidates.ToArray());
        Assert.NotEqual(seats.Candidates.ToArray(), Draw(4, 100, parent).Candidates.ToArray());
    }

    [Fact]
    public void AnyNodeDerivesTheSequencersSeatsFromItsProof()
    {
        var inputs =
            from sequencer in Gen.Choose(0, 59)
            from height in ArbMap.Default.GeneratorFor<ulong>()
            from parentSeed in ArbMap.Default.GeneratorFor<int>()
            select (sequencer, height, parentSeed);
        Prop.ForAll(inputs.ToArbitrary(), x =>
        {
            var parent = CommitteeFixture.HashOf($"parent {x.parentSeed}");
            var drawn = Draw(x.sequencer, x.height, parent);
            var derivedOk = CommitteeSeats.TryDerive(s_network.Directory, CommitteeSize.Default, x.sequencer,
                s_network.Directory.ChainId, x.height, parent, drawn.Proof, out var derived, out var refusal);
            return derivedOk && refusal.IsNone
                && derived!.Candidates.SequenceEqual(drawn.Candidates) && derived.Beta == drawn.Beta
                && drawn.Candidates.Length == 23 && drawn.MainCount == 13 && drawn.BackupCount == 10
                && drawn.Candidates.Distinct().Count() == 23
                && !drawn.Candidates.Contains(x.sequencer)
                && drawn.Candidates.All(i => i >= 0 && i < 60);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ThePeerListSplitsTheDrawIntoMainsAndBackups()
    {
        var seats = Draw(0, 1, CommitteeFixture.HashOf("p"));
        var peers = seats.PeerList;
        Assert.Equal(seats.Candidates[..13].ToArray(), peers.MainPeers.Select(v => v.Index));
        Assert.Equal(seats.Candidates[13..].ToArray(), peers.BackupPeers.Select(v => v.Index));
        Assert.All(peers.MainPeers, v => Assert.Same(s_network.Directory[v.Index], v));
        Assert.Equal(-1, seats.PositionOf(0));
        Assert.Equal(4, seats.PositionOf(seats.Candidates[4]));
    }

    [Theory]
    [InlineData(2, 1, 0)]
    [InlineData(5, 4, 0)]
    [InlineData(14, 13, 0)]
    [InlineData(15, 13, 1)]
    [InlineData(24, 13, 10)]
    public void SmallDirectoriesDrawEveryoneElse(int validators, int main, int backup)
    {
        var network = TestNetwork.Create(validators);
        var seats = Draw(validators - 1, 9, CommitteeFixture.HashOf("p"), network);
        Assert.Equal(main, seats.MainCount);
        Assert.Equal(backup, seats.BackupCount);
        Assert.Equal(Enumerable.Range(0, validators - 1), seats.Candidates.Order());
    }

    [Fact]
    public void ConfiguredSizesBoundTheDraw()
    {
        var seats = CommitteeSeats.Draw(s_network.Directory, new CommitteeSize(4, 2), 0, s_network.Keys[0], 7, 1, CommitteeFixture.HashOf("p"));
        Assert.Equal(6, seats.Candidates.Length);
        Assert.Equal(4, seats.MainCount);
        // The first draws are the same whatever the size: the sample is one ordered stream.
        Assert.Equal(Draw(0, 1, CommitteeFixture.HashOf("p")).Candidates[..6].ToArray(), seats.Candidates.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitteeSize(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitteeSize(14, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitteeSize(13, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitteeSize(13, -1));
    }

    [Fact]
    public void AProofIsRefusedUnderAnotherKeyHeightParentOrChain()
    {
        var parent = CommitteeFixture.HashOf("p");
        var seats = Draw(1, 50, parent);
        Assert.Equal(new CommitteeRefusal(CommitteeError.BadProof, 2), DeriveRefusal(2, 7, 50, parent, seats.Proof));
        Assert.Equal(CommitteeError.BadProof, DeriveRefusal(1, 7, 51, parent, seats.Proof).Error);
        Assert.Equal(CommitteeError.BadProof, DeriveRefusal(1, 7, 50, CommitteeFixture.HashOf("q"), seats.Proof).Error);
        Assert.Equal(CommitteeError.WrongChain, DeriveRefusal(1, 8, 50, parent, seats.Proof).Error);
        Assert.Equal(new CommitteeRefusal(CommitteeError.UnknownSequencer, 60), DeriveRefusal(60, 7, 50, parent, seats.Proof));
        Assert.Equal(CommitteeError.UnknownSequencer, DeriveRefusal(-1, 7, 50, parent, seats.Proof).Error);
    }

    [Fact]
    public void EveryFlippedBitOfTheProofIsRefused()
    {
        var parent = CommitteeFixture.HashOf("p");
        var seats = Draw(1, 50, parent);
        for (var bit = 0; bit < VrfProofBytes.Length * 8; bit += 5)
        {
            var proof = seats.Proof;
            proof[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(CommitteeError.BadProof, DeriveRefusal(1, 7, 50, parent, proof).Error);
        }
    }

    [Fact]
    public void TheSequencerCannotDrawWithAnotherKeyOrChainOrAlone()
    {
        var parent = CommitteeFixture.HashOf("p");
        var wrongKey = Assert.Throws<CommitteeException>(() => CommitteeSeats.Draw(
            s_network.Directory, CommitteeSize.Default, 1, s_network.Keys[2], 7, 1, parent));
        Assert.Equal(new CommitteeRefusal(CommitteeError.NotTheSequencersKey, 1), wrongKey.Refusal);
        Assert.Equal(CommitteeError.WrongChain, Assert.Throws<CommitteeException>(() => CommitteeSeats.Draw(
            s_network.Directory, CommitteeSize.Default, 1, s_network.Keys[1], 8, 1, parent)).Refusal.Error);
        Assert.Equal(CommitteeError.UnknownSequencer, Assert.Throws<CommitteeException>(() => CommitteeSeats.Draw(
            s_network.Directory, CommitteeSize.Default, 60, s_network.Keys[1], 7, 1, parent)).Refusal.Error);

        var alone = TestNetwork.Create(1);
        Assert.Equal(CommitteeError.NoCandidates, Assert.Throws<CommitteeException>(() => CommitteeSeats.Draw(
            alone.Directory, CommitteeSize.Default, 0, alone.Keys[0], 7, 1, parent)).Refusal.Error);
    }

    [Fact]
    public void AVerifiedProofOverADirectoryOfOneHasNoCommittee()
    {
        // The proof itself is valid (made with the VRF directly); there is simply no one to draw.
        var alone = TestNetwork.Create(1);
        var alpha = new byte[CommitteeAlpha.Length];
        var parent = CommitteeFixture.HashOf("p");
        CommitteeAlpha.Write(7, 1, parent, alpha);
        var secret = new byte[32];
        alone.Keys[0].CopySecretTo(secret);
        var proof = default(VrfProofBytes);
        EcVrf.Prove(secret, alpha, proof);
        Assert.False(CommitteeSeats.TryDerive(alone.Directory, CommitteeSize.Default, 0, 7, 1, parent, proof, out _, out var refusal));
        Assert.Equal(CommitteeError.NoCandidates, refusal.Error);
    }

    [Fact]
    public void SeatsGoToValidatorsInProportionToTheirWeight()
    {
        // Sequencer 0 is by far the heaviest and must never be drawn; the others weigh 1 … 8. Over 1,200 heights the
        // first seat's frequency tracks weight / total within five standard deviations (deterministic: fixed heights).
        var network = TestNetwork.Create(9, i => i == 0 ? 1_000_000UL : (ulong)i);
        var firstSeat = new int[9];
        var anySeat = new int[9];
        const int draws = 1200;
        for (var height = 0UL; height < draws; height++)
        {
            var seats = CommitteeSeats.Draw(network.Directory, new CommitteeSize(3, 0), 0, network.Keys[0], 7, height, default);
            Assert.DoesNotContain(0, seats.Candidates);
            firstSeat[seats.Candidates[0]]++;
            foreach (var index in seats.Candidates)
                anySeat[index]++;
        }
        const double total = 36;
        for (var i = 1; i <= 8; i++)
        {
            var p = i / total;
            var sigma = Math.Sqrt(draws * p * (1 - p));
            Assert.InRange(firstSeat[i], draws * p - 5 * sigma, draws * p + 5 * sigma);
        }
        for (var i = 1; i < 8; i++)
            Assert.True(anySeat[i] < anySeat[i + 1] + 60, $"weight {i} drawn {anySeat[i]} times, weight {i + 1} only {anySeat[i + 1]}");
    }
}
