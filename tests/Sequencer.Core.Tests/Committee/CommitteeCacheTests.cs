using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Committee;
using Sequencer.Core.Primitives;
using Sequencer.Core.Tests.Validators;
using Sequencer.Core.Validators;
using Sequencer.Core.Vrf;

namespace Sequencer.Core.Tests.Committee;

/// <summary>A shared committee cache answers exactly what each node would derive alone, refusals included.</summary>
public sealed class CommitteeCacheTests
{
    private static readonly TestNetwork s_network = TestNetwork.Create(40, i => (ulong)(i % 5 + 1));

    // The same directory loaded again: an equal instance (same hash), as another node of the process would hold.
    private static readonly TestNetwork s_sameDirectory = TestNetwork.Create(40, i => (ulong)(i % 5 + 1));

    private static readonly ulong ChainId = s_network.Directory.ChainId;

    private static VrfProofBytes Prove(int sequencer, ulong height, Hash32 parent) =>
        CommitteeSeats.Draw(s_network.Directory, CommitteeSize.Default, sequencer, s_network.Keys[sequencer], ChainId, height, parent).Proof;

    private sealed record Derived(bool Ok, CommitteeSeats? Seats, CommitteeRefusal Refusal);

    private static Derived Alone(ValidatorDirectory directory, int sequencer, ulong chainId, ulong height, Hash32 parent, VrfProofBytes proof)
    {
        var ok = CommitteeSeats.TryDerive(directory, CommitteeSize.Default, sequencer, chainId, height, parent, proof, out var seats, out var refusal);
        return new Derived(ok, seats, refusal);
    }

    private static Derived Cached(CommitteeCache cache, ValidatorDirectory directory, int sequencer, ulong chainId, ulong height, Hash32 parent, VrfProofBytes proof)
    {
        var ok = cache.TryDerive(directory, CommitteeSize.Default, sequencer, chainId, height, parent, proof, out var seats, out var refusal);
        return new Derived(ok, seats, refusal);
    }

    private static bool Agree(Derived alone, Derived cached, ValidatorDirectory directory) =>
        alone.Ok == cached.Ok && alone.Refusal == cached.Refusal && (alone.Seats is null) == (cached.Seats is null)
        && (cached.Seats is null
            || (ReferenceEquals(cached.Seats.Directory, directory)
                && cached.Seats.Candidates.SequenceEqual(alone.Seats!.Candidates)
                && cached.Seats.Beta == alone.Seats.Beta && cached.Seats.Proof == alone.Seats.Proof
                && cached.Seats.MainCount == alone.Seats.MainCount && cached.Seats.SequencerIndex == alone.Seats.SequencerIndex
                && cached.Seats.Height == alone.Seats.Height && cached.Seats.ParentHash == alone.Seats.ParentHash
                && cached.Seats.Size == alone.Seats.Size));

    [Fact]
    public void CachedAndUncachedDerivationsAgreeForValidProofsAndEveryRefusal()
    {
        // Valid proofs, and each way a derivation is refused: a proof for another height or by another sequencer
        // (BadProof), another chain (WrongChain), an index outside the directory (UnknownSequencer).
        var inputs =
            from sequencer in Gen.Choose(0, 39)
            from height in Gen.Choose(1, 1_000_000).Select(h => (ulong)h)
            from parentSeed in Gen.Choose(0, 1000)
            from tamper in Gen.Elements("none", "height", "sequencer", "chain", "unknown")
            select (sequencer, height, parentSeed, tamper);
        var cache = new CommitteeCache(capacity: 8);
        Prop.ForAll(inputs.ToArbitrary(), x =>
        {
            var parent = CommitteeFixture.HashOf($"parent {x.parentSeed}");
            var proof = Prove(x.sequencer, x.height, parent);
            var (sequencer, chain, height) = x.tamper switch
            {
                "height" => (x.sequencer, ChainId, x.height + 1),
                "sequencer" => ((x.sequencer + 1) % 40, ChainId, x.height),
                "chain" => (x.sequencer, ChainId + 1, x.height),
                "unknown" => (40, ChainId, x.height),
                _ => (x.sequencer, ChainId, x.height),
            };
            var alone = Alone(s_network.Directory, sequencer, chain, height, parent, proof);
            // First ask (a miss), again (a hit), then from a node holding an equal directory of its own (a hit, re-seated).
            return Agree(alone, Cached(cache, s_network.Directory, sequencer, chain, height, parent, proof), s_network.Directory)
                && Agree(alone, Cached(cache, s_network.Directory, sequencer, chain, height, parent, proof), s_network.Directory)
                && Agree(alone, Cached(cache, s_sameDirectory.Directory, sequencer, chain, height, parent, proof), s_sameDirectory.Directory)
                && (x.tamper == "none") == alone.Ok;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ANoCandidatesRefusalIsCachedAsSuch()
    {
        var alone = TestNetwork.Create(1);
        var parent = CommitteeFixture.HashOf("p");
        var alpha = new byte[CommitteeAlpha.Length];
        CommitteeAlpha.Write(alone.Directory.ChainId, 1, parent, alpha);
        var secret = new byte[32];
        alone.Keys[0].CopySecretTo(secret);
        var proof = default(VrfProofBytes);
        EcVrf.Prove(secret, alpha, proof);
        var cache = new CommitteeCache();

        for (var ask = 0; ask < 2; ask++)
        {
            Assert.False(cache.TryDerive(alone.Directory, CommitteeSize.Default, 0, alone.Directory.ChainId, 1, parent, proof,
                out var seats, out var refusal));
            Assert.Null(seats);
            Assert.Equal(CommitteeError.NoCandidates, refusal.Error);
        }
        Assert.Equal((1L, 1L), (cache.Misses, cache.Hits));
    }

    [Fact]
    public void EveryInputOfTheDerivationIsPartOfTheKey()
    {
        var parent = CommitteeFixture.HashOf("p");
        var proof = Prove(3, 10, parent);
        var cache = new CommitteeCache();
        var other = TestNetwork.Create(41, i => (ulong)(i % 5 + 1));
        Assert.True(cache.TryDerive(s_network.Directory, CommitteeSize.Default, 3, ChainId, 10, parent, proof, out var seats, out _));

        // A different directory, committee size, sequencer, chain, height, parent or proof: each derived anew.
        Assert.True(cache.TryDerive(other.Directory, CommitteeSize.Default, 3, ChainId, 10, parent, proof, out var inOther, out _));
        Assert.True(cache.TryDerive(s_network.Directory, new CommitteeSize(5, 2), 3, ChainId, 10, parent, proof, out var smaller, out _));
        Assert.False(cache.TryDerive(s_network.Directory, CommitteeSize.Default, 4, ChainId, 10, parent, proof, out _, out _));
        Assert.False(cache.TryDerive(s_network.Directory, CommitteeSize.Default, 3, ChainId + 1, 10, parent, proof, out _, out _));
        Assert.False(cache.TryDerive(s_network.Directory, CommitteeSize.Default, 3, ChainId, 11, parent, proof, out _, out _));
        Assert.False(cache.TryDerive(s_network.Directory, CommitteeSize.Default, 3, ChainId, 10, CommitteeFixture.HashOf("q"), proof, out _, out _));
        Assert.False(cache.TryDerive(s_network.Directory, CommitteeSize.Default, 3, ChainId, 10, parent, Prove(3, 11, parent), out _, out _));

        Assert.Equal((8L, 0L, 8), (cache.Misses, cache.Hits, cache.Count));
        Assert.Same(other.Directory, inOther!.Directory);
        Assert.Equal(7, smaller!.Candidates.Length);
        Assert.Equal(23, seats!.Candidates.Length);
    }

    [Fact]
    public void TheCacheHoldsAtMostItsCapacityDroppingTheOldestFirst()
    {
        var parent = CommitteeFixture.HashOf("p");
        var proofs = Enumerable.Range(1, 3).Select(h => Prove(2, (ulong)h, parent)).ToArray();
        var cache = new CommitteeCache(capacity: 2);
        bool Ask(int height) =>
            cache.TryDerive(s_network.Directory, CommitteeSize.Default, 2, ChainId, (ulong)height, parent, proofs[height - 1], out _, out _);

        Assert.True(Ask(1) && Ask(2) && Ask(3));
        Assert.Equal(2, cache.Count);
        Assert.True(Ask(3) && Ask(2)); // still held
        Assert.Equal((3L, 2L), (cache.Misses, cache.Hits));
        Assert.True(Ask(1)); // dropped: derived again, which drops height 2
        Assert.Equal((4L, 2L, 2), (cache.Misses, cache.Hits, cache.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitteeCache(0));
    }

    [Fact]
    public void NodesAskingAtOnceShareOneDerivation()
    {
        var parent = CommitteeFixture.HashOf("p");
        var proof = Prove(9, 5, parent);
        var expected = Alone(s_network.Directory, 9, ChainId, 5, parent, proof);
        var cache = new CommitteeCache();
        const int Nodes = 16;
        using var start = new Barrier(Nodes);
        var results = new Derived[Nodes];
        var threads = Enumerable.Range(0, Nodes).Select(node => new Thread(() =>
        {
            var directory = node % 2 == 0 ? s_network.Directory : s_sameDirectory.Directory;
            start.SignalAndWait();
            results[node] = Cached(cache, directory, 9, ChainId, 5, parent, proof);
        })).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();

        for (var node = 0; node < Nodes; node++)
            Assert.True(Agree(expected, results[node], node % 2 == 0 ? s_network.Directory : s_sameDirectory.Directory));
        Assert.Equal((1L, Nodes - 1L), (cache.Misses, cache.Hits));
    }
}
